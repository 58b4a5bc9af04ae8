variable "env" {
  default = "staging"
}

variable "size" {
  default = 3
}

locals {
  is_prod = var.env == "prod"
  tier    = local.is_prod ? "gold" : (var.size > 2 ? "silver" : "bronze")
  nested  = var.size >= 3 && !local.is_prod ? { big = true } : { big = false }
  str_cmp = var.env != "dev" || var.size < 0
}

resource "terraform_data" "c" {
  input = {
    tier    = local.tier
    nested  = local.nested
    str_cmp = local.str_cmp
    numeric = var.size == 3 ? "three" : "other"
  }
}

resource "terraform_data" "maybe" {
  count = local.is_prod ? 3 : 1
  input = local.is_prod ? "prod-${count.index}" : "nonprod"
}
