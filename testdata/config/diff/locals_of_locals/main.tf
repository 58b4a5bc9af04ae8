variable "env" { default = "stage" }
locals {
  a = "${var.env}-a"
  b = { name = local.a, size = length(local.a) }
  c = [for i in range(local.b.size % 4) : "${local.b.name}-${i}"]
  d = merge(local.b, { items = local.c })
  e = local.d.items
}
resource "terraform_data" "x" {
  for_each = toset(local.e)
  input    = local.d.name
}
output "d" { value = local.d }
