variable "enable_cache" { default = true }
variable "enable_queue" { default = false }
module "cache" {
  source = "./modules/thing"
  count  = var.enable_cache ? 1 : 0
  name   = "cache"
}
module "queue" {
  source = "./modules/thing"
  count  = var.enable_queue ? 1 : 0
  name   = "queue"
}
output "cache" { value = one(module.cache[*].name) }
output "queue" { value = one(module.queue[*].name) }
output "cache_or" { value = try(module.cache[0].name, "off") }
