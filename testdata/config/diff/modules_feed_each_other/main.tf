module "network" {
  source  = "./modules/network"
  name    = "core"
  dns_ip  = module.dns.ip
}
module "dns" {
  source     = "./modules/dns"
  network_id = module.network.id
}
output "network_dns" { value = module.network.dns }
output "dns_zone" { value = module.dns.zone }
