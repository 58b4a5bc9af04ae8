# Instance keys and map keys made from numbers, including ones beyond 64 bits.
variable "ports" {
  default = [443, 8080, 80]
}

locals {
  by_port = { for p in var.ports : p => "tcp-${p}" }
  big_ids = toset([for n in [12345678901234567890123, 98765432109876543210] : tostring(n)])
}

resource "terraform_data" "port" {
  for_each = local.by_port
  input    = { key = each.key, value = each.value }
}

resource "terraform_data" "big" {
  for_each = local.big_ids
  input    = each.key
}

resource "terraform_data" "keys" {
  input = {
    keys      = keys(local.by_port)
    decimals  = keys({ for n in [0.5, 1.25, 1 / 4] : n => true })
    from_math = keys({ for n in [1e20 + 1] : n => n })
  }
}
