variable "name" {}
resource "terraform_data" "x" { input = "${var.name} is blue" }
output "colour" { value = terraform_data.x.input }
