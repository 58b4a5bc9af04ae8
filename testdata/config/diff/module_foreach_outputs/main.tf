module "svc" {
  source   = "./svc"
  for_each = { api = 8080, web = 80 }
  name     = each.key
  port     = each.value
}

resource "terraform_data" "endpoint" {
  for_each = module.svc
  input    = each.value.endpoint
}

resource "terraform_data" "all" {
  input = { for k, m in module.svc : k => m.port_str }
}
