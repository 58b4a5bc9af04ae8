locals {
  names = ["gamma", "alpha", "beta", "alpha"]
}

resource "terraform_data" "s" {
  for_each = toset(local.names)
  input    = "${each.key}=${each.value}"
}

resource "terraform_data" "upper" {
  for_each = toset([for n in local.names : upper(n)])
  input    = lower(each.key)
}
