module "cfg" {
  source   = "./modules/cfg"
  config   = "./config/app.json"
  template = "templates/motd.tftpl"
}
output "port" { value = module.cfg.port }
output "motd" { value = module.cfg.motd }
