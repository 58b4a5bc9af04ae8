terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "eu_central"
  region = "eu-central-1"
}

provider "aws" {
  alias  = "us_east"
  region = "us-east-1"
}

locals {
  app = "checkout"
}

module "eu_west" {
  source = "./modules/regional"
  app    = local.app
  cidr   = "10.1.0.0/16"
}

module "eu_central" {
  source = "./modules/regional"
  providers = {
    aws = aws.eu_central
  }
  app  = local.app
  cidr = "10.2.0.0/16"
}

module "us_east" {
  source = "./modules/regional"
  providers = {
    aws = aws.us_east
  }
  app  = local.app
  cidr = "10.3.0.0/16"
}

resource "aws_route53_zone" "global" {
  name = "${local.app}.example.com"
}

resource "aws_route53_record" "regional" {
  for_each = {
    eu-west-1    = module.eu_west
    eu-central-1 = module.eu_central
    us-east-1    = module.us_east
  }
  zone_id        = aws_route53_zone.global.zone_id
  name           = "api.${local.app}.example.com"
  type           = "CNAME"
  ttl            = 60
  set_identifier = each.key
  records        = [each.value.lb_dns_name]

  latency_routing_policy {
    region = each.key
  }
}

resource "aws_acm_certificate" "global" {
  provider          = aws.us_east
  domain_name       = "${local.app}.example.com"
  validation_method = "DNS"
}
