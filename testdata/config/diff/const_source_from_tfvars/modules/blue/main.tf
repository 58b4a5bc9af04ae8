output "v" { value = "blue" }
resource "terraform_data" "b" { input = "b" }
