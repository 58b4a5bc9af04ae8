# Variables typed as sets: de-duplicated, sorted, iterated by value.
variable "cidrs" {
  type    = set(string)
  default = ["10.0.0.0/8", "192.168.0.0/16", "10.0.0.0/8"]
}

variable "ports" {
  type    = set(number)
  default = [443, 80, 443, 12345678901234567890123]
}

resource "terraform_data" "rule" {
  for_each = var.cidrs
  input    = { cidr = each.key, same = each.key == each.value }
}

resource "terraform_data" "ports" {
  input = {
    ports = [for p in var.ports : tostring(p)]
    count = length(var.ports)
    first = tostring(sort(var.ports)[0])
  }
}
