locals {
  keys = ["with space", "quote\"d", "slash/x", "dot.ted", "UPPER", "ünïcode", "a[0]"]
}
resource "terraform_data" "k" {
  for_each = toset(local.keys)
  input    = each.key
}
output "n" { value = length(terraform_data.k) }
