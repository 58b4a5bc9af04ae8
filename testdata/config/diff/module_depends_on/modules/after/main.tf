variable "label" {}
resource "terraform_data" "x" { input = var.label }
output "label" { value = "${var.label}!" }
