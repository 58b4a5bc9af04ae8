variable "networks" {
  default = {
    core = { cidr = "10.0.0.0/16", subnets = ["a", "b"] }
    edge = { cidr = "10.1.0.0/16", subnets = ["c"] }
  }
}
locals {
  subnets = flatten([
    for net, n in var.networks : [
      for i, s in n.subnets : {
        key     = "${net}-${s}"
        network = net
        cidr    = cidrsubnet(n.cidr, 8, i)
      }
    ]
  ])
}
resource "terraform_data" "subnet" {
  for_each = { for s in local.subnets : s.key => s }
  input    = each.value
}
output "keys" {
  value = keys(terraform_data.subnet)
}
