variable "name" {}
resource "terraform_data" "x" { input = "${var.name} is green" }
output "colour" { value = terraform_data.x.input }
