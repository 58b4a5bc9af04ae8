variable "env" {
  type    = string
  default = "prod"
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod"
  }
}
resource "terraform_data" "v" {
  input = var.env
  lifecycle {
    precondition {
      condition     = length(var.env) > 0
      error_message = "empty"
    }
  }
}
