locals {
  base = { network = { mtu = 1460, routing = "REGIONAL" }, labels = { a = "1" } }
  over = { network = { routing = "GLOBAL" }, labels = { b = "2" } }
  merged = { for k in distinct(concat(keys(local.base), keys(local.over))) :
    k => merge(lookup(local.base, k, {}), lookup(local.over, k, {})) }
}
resource "terraform_data" "m" {
  input = local.merged
}
output "routing" { value = local.merged.network.routing }
