module "region" {
  source   = "./modules/region"
  for_each = { west = 2, east = 1 }
  name     = each.key
  zones    = each.value
}
