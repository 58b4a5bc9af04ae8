variable "sizes" {
  default = { small = "e2-small", large = "e2-standard-8" }
}
locals {
  requested = ["small", "medium", "large"]
}
resource "terraform_data" "vm" {
  for_each = toset(local.requested)
  input    = lookup(var.sizes, each.key, "e2-medium")
}
output "types" { value = { for k, v in terraform_data.vm : k => v.input } }
