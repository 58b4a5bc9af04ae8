variable "password" { sensitive = true }
variable "users" { type = list(string) }
resource "terraform_data" "user" {
  for_each = toset(var.users)
  input    = each.key
}
output "users" { value = sort(keys(terraform_data.user)) }
output "dsn" {
  value     = "postgres://app:${var.password}@db"
  sensitive = true
}
