variable "index" {}
variable "total" {}
locals {
  size = 100 / var.total
}
resource "terraform_data" "s" {
  input = { from = floor(var.index * local.size), to = floor((var.index + 1) * local.size) }
}
output "range" { value = terraform_data.s.input }
