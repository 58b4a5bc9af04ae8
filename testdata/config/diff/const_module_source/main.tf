variable "flavour" {
  type    = string
  default = "blue"
  const   = true
}
locals {
  module_dir = "./modules/${var.flavour}"
}
module "app" {
  source = local.module_dir
  name   = "shop"
}
output "colour" { value = module.app.colour }
