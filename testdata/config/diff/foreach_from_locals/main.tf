variable "envs" {
  default = ["dev", "prod"]
}

variable "apps" {
  default = ["api", "web"]
}

locals {
  pairs = { for pair in local.flatten_pairs : "${pair[0]}-${pair[1]}" => { env = pair[0], app = pair[1] } }
}

locals {
  flatten_pairs = concat([for e in var.envs : [e, var.apps[0]]], [for e in var.envs : [e, var.apps[1]]])
}

resource "terraform_data" "deploy" {
  for_each = local.pairs
  input    = "${each.value.app}@${each.value.env}"
}
