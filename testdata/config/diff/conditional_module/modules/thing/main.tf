variable "name" {}
resource "terraform_data" "t" { input = var.name }
output "name" { value = terraform_data.t.input }
