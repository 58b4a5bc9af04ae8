module "a" {
  source = "./modules/pass"
  value  = { name = "x", list = [1, 2], nested = { deep = true } }
}
module "b" {
  source = "./modules/pass"
  value  = module.a.value
}
output "b" { value = module.b.value }
output "deep" { value = module.b.value.nested.deep }
