locals {
  sizes = { default = "small", staging = "medium" }
}
resource "terraform_data" "e" { input = lookup(local.sizes, terraform.workspace, "large") }
output "name" { value = "${terraform.workspace}:${terraform_data.e.input}" }
