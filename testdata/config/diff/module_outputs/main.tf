module "net" {
  source = "./net"
  count  = 2
  cidr   = "10.${count.index}.0.0/16"
}

resource "terraform_data" "uses" {
  input = module.net[*].summary
}

resource "terraform_data" "per_subnet" {
  for_each = toset(module.net[1].subnets)
  input    = each.key
}
