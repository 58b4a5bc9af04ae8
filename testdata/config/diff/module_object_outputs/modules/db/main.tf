variable "name" {}
locals {
  users = { app = "rw", report = "ro" }
}
resource "terraform_data" "user" {
  for_each = local.users
  input    = { name = each.key, role = each.value }
}
output "instance" {
  value = { name = var.name, engine = "postgres", port = 5432 }
}
output "users" {
  value = { for k, u in terraform_data.user : k => u.input.role }
}
