module "tier" {
  source = "./modules/tier"
  count  = 2
  index  = count.index
}
output "names" {
  value = module.tier[*].names
}
output "flat" {
  value = flatten(module.tier[*].names)
}
