variable "create" {
  default = true
}
variable "create_extra" {
  default = false
}
resource "terraform_data" "main" {
  count = var.create ? 1 : 0
  input = "main"
}
resource "terraform_data" "extra" {
  count = var.create_extra ? 1 : 0
  input = "extra"
}
output "main_input" {
  value = one(terraform_data.main[*].input)
}
output "extra_input" {
  value = one(terraform_data.extra[*].input)
}
output "main_or_default" {
  value = try(terraform_data.main[0].input, "none")
}
output "extra_or_default" {
  value = try(terraform_data.extra[0].input, "none")
}
