# Conditionals broken over lines inside for expressions and parentheses.
variable "names" {
  default = ["web", "api", "db"]
}

variable "env" {
  default = "prod"
}

resource "terraform_data" "t" {
  input = {
    sizes = [for n in var.names : n == "db"
      ? "large"
      : "small"]
    by_name = { for n in var.names : n => (
      var.env == "prod"
      ? "${n}-prod"
      : n
    ) }
    count = (length(var.names) > 2
      ? length(var.names)
      : 2)
    nested = [for n in var.names : (n == "web"
      ? 80
      : n == "api"
      ? 8080
    : 5432)]
  }
}
