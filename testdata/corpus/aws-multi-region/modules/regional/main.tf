terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "app" {}
variable "cidr" {}

data "aws_region" "current" {}
data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = "${var.app}-${data.aws_region.current.name}" }
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_lb" "this" {
  name               = "${var.app}-lb"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
}

output "lb_dns_name" {
  value = aws_lb.this.dns_name
}
