module "m" {
  source  = "./modules/m"
  count_s = "3"
  flags   = ["true", false]
  tags    = { a = 1, b = "two" }
}
output "out" { value = module.m.out }
