variable "in" {}
resource "terraform_data" "c" { input = "child of ${var.in}" }
output "out" { value = terraform_data.c.input }
