# for expressions over sets bind each element as its own key.
variable "zones" {
  type    = set(string)
  default = ["b", "a", "c"]
}

locals {
  ids = toset([3, 1, 2])
}

resource "terraform_data" "t" {
  input = {
    pairs   = [for k, v in var.zones : "${k}=${v}"]
    by_key  = { for k, v in var.zones : k => upper(v) }
    numbers = [for k, v in local.ids : k * 10 + v]
    filter  = [for z in var.zones : z if z != "b"]
    tmpl    = "%{ for k, v in var.zones }${k}${v};%{ endfor }"
    length  = length(var.zones)
    sorted  = sort(var.zones)
  }
}

resource "terraform_data" "zone" {
  for_each = { for k, v in var.zones : k => v }
  input    = each.value
}
