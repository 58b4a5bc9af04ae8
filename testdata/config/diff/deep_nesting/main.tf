locals {
  layout = {
    east = { racks = ["r1", "r2"] }
    west = { racks = ["r9"] }
  }
}

module "dc" {
  source   = "./dc"
  for_each = local.layout
  dc       = each.key
  racks    = each.value.racks
}

resource "terraform_data" "summary" {
  input = { for k, v in module.dc : k => v.hosts }
}
