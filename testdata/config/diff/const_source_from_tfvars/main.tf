variable "variant" {
  type  = string
  const = true
}
module "m" {
  source = "./modules/${var.variant}"
}
output "v" { value = module.m.v }
