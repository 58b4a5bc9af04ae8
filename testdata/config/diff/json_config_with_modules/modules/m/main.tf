variable "name" {}
resource "terraform_data" "x" { input = upper(var.name) }
output "upper" { value = terraform_data.x.input }
