terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { ManagedBy = "terraform" }
  }
}

variable "region" {
  default = "eu-west-1"
}

variable "name" {
  default = "prod"
}

module "vpc" {
  source = "./modules/vpc"

  name = var.name
  cidr = "10.10.0.0/16"
  azs  = ["${var.region}a", "${var.region}b", "${var.region}c"]

  public_subnets   = [for i in range(3) : cidrsubnet("10.10.0.0/16", 8, i)]
  private_subnets  = [for i in range(3) : cidrsubnet("10.10.0.0/16", 8, i + 10)]
  database_subnets = [for i in range(3) : cidrsubnet("10.10.0.0/16", 8, i + 20)]

  enable_nat_gateway     = true
  single_nat_gateway     = false
  one_nat_gateway_per_az = true
  enable_flow_log        = true

  tags = { Environment = var.name }
  public_subnet_tags = {
    "kubernetes.io/role/elb" = 1
  }
}

output "vpc_id" {
  value = module.vpc.vpc_id
}

output "private_subnets" {
  value = module.vpc.private_subnets
}

output "nat_public_ips" {
  value = module.vpc.nat_public_ips
}
