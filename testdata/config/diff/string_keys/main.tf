resource "terraform_data" "k" {
  for_each = toset(["plain", "with space", "quote\"inside", "back\\slash", "dollar$", "ünïcode"])
  input    = each.key
}

module "m" {
  source   = "./m"
  for_each = toset(["a.b", "c:d"])
  key      = each.key
}
