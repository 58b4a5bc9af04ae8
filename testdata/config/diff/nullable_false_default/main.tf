module "m" {
  source   = "./modules/m"
  region   = null
  optional = null
}
output "region" { value = module.m.region }
output "optional" { value = module.m.optional }
