variable "value" { type = any }
resource "terraform_data" "p" { input = var.value }
output "value" { value = var.value }
