variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "list" {
  type    = list(string)
  default = []
}
resource "terraform_data" "v" {
  input = { a = var.a, b = var.b, c = var.c, d = var.d, list = var.list }
}
output "all" { value = terraform_data.v.input }
