module "names" {
  source = "./modules/names"
  prefix = "node"
}
resource "terraform_data" "n" {
  count = length(module.names.list)
  input = module.names.list[count.index]
}
resource "terraform_data" "m" {
  for_each = module.names.map
  input    = each.value
}
