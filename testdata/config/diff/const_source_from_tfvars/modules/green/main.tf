output "v" { value = "green" }
resource "terraform_data" "g" { input = "g" }
