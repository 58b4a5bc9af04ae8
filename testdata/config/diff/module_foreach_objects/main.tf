variable "services" {
  default = {
    api    = { port = 8080, replicas = 2 }
    worker = { port = 9090, replicas = 1 }
  }
}
module "svc" {
  source   = "./modules/svc"
  for_each = var.services
  name     = each.key
  port     = each.value.port
  replicas = each.value.replicas
}
output "endpoints" {
  value = { for k, m in module.svc : k => m.endpoint }
}
output "total" {
  value = sum([for m in values(module.svc) : m.replicas])
}
