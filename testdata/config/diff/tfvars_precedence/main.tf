variable "from_default" {
  default = "default"
}
variable "from_env" {
  default = "default"
}
variable "from_tfvars" {
  default = "default"
}
variable "from_tfvars_json" {
  default = "default"
}
variable "from_auto_a" {
  default = "default"
}
variable "from_auto_b" {
  default = "default"
}
variable "from_var_file" {
  default = "default"
}
variable "from_var" {
  default = "default"
}
variable "last_file" {
  default = "default"
}
variable "count_str" {}
variable "complex" {
  type = map(number)
}

resource "terraform_data" "v" {
  input = {
    from_default     = var.from_default
    from_env         = var.from_env
    from_tfvars      = var.from_tfvars
    from_tfvars_json = var.from_tfvars_json
    from_auto_a      = var.from_auto_a
    from_auto_b      = var.from_auto_b
    from_var_file    = var.from_var_file
    from_var         = var.from_var
    last_file        = var.last_file
    complex          = var.complex
  }
}

resource "terraform_data" "n" {
  count = var.count_str
  input = var.count_str
}
