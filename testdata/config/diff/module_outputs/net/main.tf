variable "cidr" {}

locals {
  subnets = [for i in [1, 2, 3] : "${var.cidr}#${i}"]
}

output "summary" {
  value = { cidr = var.cidr, n = length(local.subnets) }
}

output "subnets" {
  value = local.subnets
}
