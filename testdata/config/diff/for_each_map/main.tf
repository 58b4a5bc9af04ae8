variable "buckets" {
  default = {
    logs    = { tier = "cold", days = 30 }
    "a b"   = { tier = "hot", days = 1 }
    archive = { tier = "cold", days = 365 }
  }
}

resource "terraform_data" "bucket" {
  for_each = var.buckets
  input = {
    key  = each.key
    tier = each.value.tier
    ttl  = each.value.days * 24
  }
}
