module "web" {
  source = "./modules/web"
  name   = "shop"
  ports  = [80, 443]
}
output "script" {
  value = module.web.script
}
