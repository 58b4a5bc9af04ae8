resource "terraform_data" "base" {
  for_each = toset(["x", "y"])
  input    = "base-${each.key}"
}
module "per_base" {
  source   = "./modules/child"
  for_each = terraform_data.base
  in       = each.value.input
}
output "outs" { value = { for k, m in module.per_base : k => m.out } }
