# Subnet plans computed from the VPC CIDR, as network modules do.
variable "vpc_cidr" {
  default = "10.20.0.0/16"
}

variable "azs" {
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

locals {
  newbits = ceil(log(length(var.azs) * 2, 2))
}

resource "terraform_data" "subnet" {
  count = length(var.azs)
  input = {
    private = cidrsubnet(var.vpc_cidr, local.newbits, count.index)
    public  = cidrsubnet(var.vpc_cidr, local.newbits, count.index + length(var.azs))
    gateway = cidrhost(cidrsubnet(var.vpc_cidr, 8, count.index), 1)
    hosts   = pow(2, 32 - (16 + local.newbits)) - 2
  }
}
