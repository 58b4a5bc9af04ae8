variable "env" {
  default = "prod"
}

locals {
  d      = merge(local.c, { extra = true })
  prefix = "app-${var.env}"
  a      = [local.prefix, "x"]
  b      = concat(local.a, ["y", "z"])
  c      = { names = local.b, joined = join(",", local.b), count = length(local.b) }
}

resource "terraform_data" "r" {
  input = local.d
}
