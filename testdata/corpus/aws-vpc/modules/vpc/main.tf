locals {
  len_public_subnets   = length(var.public_subnets)
  len_private_subnets  = length(var.private_subnets)
  len_database_subnets = length(var.database_subnets)
  max_subnet_length    = max(local.len_private_subnets, local.len_public_subnets, local.len_database_subnets)
  nat_gateway_count    = var.single_nat_gateway ? 1 : var.one_nat_gateway_per_az ? length(var.azs) : local.max_subnet_length
  vpc_id               = try(aws_vpc.this[0].id, "")
  create_vpc           = var.create_vpc
  create_public        = local.create_vpc && local.len_public_subnets > 0
  create_private       = local.create_vpc && local.len_private_subnets > 0
  create_database      = local.create_vpc && local.len_database_subnets > 0
}

resource "aws_vpc" "this" {
  count = local.create_vpc ? 1 : 0

  cidr_block           = var.cidr
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge({ "Name" = var.name }, var.tags)
}

resource "aws_internet_gateway" "this" {
  count  = local.create_public ? 1 : 0
  vpc_id = local.vpc_id
  tags   = merge({ "Name" = var.name }, var.tags)
}

resource "aws_subnet" "public" {
  count = local.create_public && (!var.one_nat_gateway_per_az || local.len_public_subnets >= length(var.azs)) ? local.len_public_subnets : 0

  vpc_id                  = local.vpc_id
  cidr_block              = element(concat(var.public_subnets, [""]), count.index)
  availability_zone       = length(regexall("^[a-z]{2}-", element(var.azs, count.index))) > 0 ? element(var.azs, count.index) : null
  availability_zone_id    = length(regexall("^[a-z]{2}-", element(var.azs, count.index))) == 0 ? element(var.azs, count.index) : null
  map_public_ip_on_launch = true

  tags = merge(
    { Name = format("${var.name}-public-%s", element(var.azs, count.index)) },
    var.tags,
    var.public_subnet_tags,
  )
}

resource "aws_route_table" "public" {
  count  = local.create_public ? 1 : 0
  vpc_id = local.vpc_id
  tags   = merge({ "Name" = "${var.name}-public" }, var.tags)
}

resource "aws_route" "public_internet_gateway" {
  count                  = local.create_public ? 1 : 0
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id

  timeouts {
    create = "5m"
  }
}

resource "aws_route_table_association" "public" {
  count          = local.create_public ? local.len_public_subnets : 0
  subnet_id      = element(aws_subnet.public[*].id, count.index)
  route_table_id = aws_route_table.public[0].id
}

resource "aws_subnet" "private" {
  count             = local.create_private ? local.len_private_subnets : 0
  vpc_id            = local.vpc_id
  cidr_block        = var.private_subnets[count.index]
  availability_zone = element(var.azs, count.index)
  tags = merge(
    { Name = format("${var.name}-private-%s", element(var.azs, count.index)) },
    var.tags,
    var.private_subnet_tags,
  )
}

resource "aws_route_table" "private" {
  count  = local.create_private ? local.nat_gateway_count : 0
  vpc_id = local.vpc_id
  tags = merge(
    { "Name" = var.single_nat_gateway ? "${var.name}-private" : format("${var.name}-private-%s", element(var.azs, count.index)) },
    var.tags,
  )
}

resource "aws_route_table_association" "private" {
  count          = local.create_private ? local.len_private_subnets : 0
  subnet_id      = element(aws_subnet.private[*].id, count.index)
  route_table_id = element(aws_route_table.private[*].id, var.single_nat_gateway ? 0 : count.index)
}

resource "aws_subnet" "database" {
  count             = local.create_database ? local.len_database_subnets : 0
  vpc_id            = local.vpc_id
  cidr_block        = var.database_subnets[count.index]
  availability_zone = element(var.azs, count.index)
  tags              = merge({ Name = format("${var.name}-db-%s", element(var.azs, count.index)) }, var.tags)
}

resource "aws_db_subnet_group" "database" {
  count       = local.create_database && var.create_database_subnet_group ? 1 : 0
  name        = lower(var.name)
  description = "Database subnet group for ${var.name}"
  subnet_ids  = aws_subnet.database[*].id
  tags        = merge({ "Name" = lower(var.name) }, var.tags)
}

resource "aws_eip" "nat" {
  count  = local.create_vpc && var.enable_nat_gateway ? local.nat_gateway_count : 0
  domain = "vpc"
  tags = merge(
    { "Name" = format("${var.name}-%s", element(var.azs, var.single_nat_gateway ? 0 : count.index)) },
    var.tags,
  )
  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count         = local.create_vpc && var.enable_nat_gateway ? local.nat_gateway_count : 0
  allocation_id = element(aws_eip.nat[*].id, var.single_nat_gateway ? 0 : count.index)
  subnet_id     = element(aws_subnet.public[*].id, var.single_nat_gateway ? 0 : count.index)
  tags          = merge({ "Name" = format("${var.name}-%s", element(var.azs, count.index)) }, var.tags)
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_route" "private_nat_gateway" {
  count                  = local.create_vpc && var.enable_nat_gateway ? local.nat_gateway_count : 0
  route_table_id         = element(aws_route_table.private[*].id, count.index)
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = element(aws_nat_gateway.this[*].id, count.index)
}

resource "aws_flow_log" "this" {
  count                = local.create_vpc && var.enable_flow_log ? 1 : 0
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_log[0].arn
  iam_role_arn         = aws_iam_role.vpc_flow_log_cloudwatch[0].arn
  traffic_type         = "ALL"
  vpc_id               = local.vpc_id
  tags                 = var.tags
}

resource "aws_cloudwatch_log_group" "flow_log" {
  count             = local.create_vpc && var.enable_flow_log ? 1 : 0
  name              = "/aws/vpc-flow-log/${local.vpc_id}"
  retention_in_days = 30
  tags              = var.tags
}

data "aws_iam_policy_document" "flow_log_assume" {
  count = local.create_vpc && var.enable_flow_log ? 1 : 0
  statement {
    sid     = "AWSVPCFlowLogsAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "vpc_flow_log_cloudwatch" {
  count              = local.create_vpc && var.enable_flow_log ? 1 : 0
  name_prefix        = "vpc-flow-log-role-"
  assume_role_policy = data.aws_iam_policy_document.flow_log_assume[0].json
  tags               = var.tags
}
