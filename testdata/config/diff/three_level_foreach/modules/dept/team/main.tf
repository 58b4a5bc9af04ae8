variable "dept" {}
variable "name" {}
variable "people" { type = list(string) }
resource "terraform_data" "member" {
  for_each = toset(var.people)
  input    = "${var.dept}/${var.name}/${each.key}"
}
output "members" { value = [for m in terraform_data.member : m.input] }
