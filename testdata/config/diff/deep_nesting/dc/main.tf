variable "dc" {}
variable "racks" {
  type = list(string)
}

module "rack" {
  source   = "./rack"
  for_each = toset(var.racks)
  name     = "${var.dc}/${each.key}"
}

output "hosts" {
  value = local.flatten_hosts
}

locals {
  flatten_hosts = [for r in var.racks : module.rack[r].host]
}
