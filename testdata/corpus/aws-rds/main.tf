terraform {
  required_providers {
    aws    = { source = "hashicorp/aws" }
    random = { source = "hashicorp/random" }
  }
}

variable "identifier" {
  default = "orders"
}
variable "engine_version" {
  default = "16.3"
}
variable "create_replica" {
  default = true
}
variable "replica_count" {
  default = 2
}
variable "parameters" {
  default = [
    { name = "log_min_duration_statement", value = "500" },
    { name = "rds.force_ssl", value = "1", apply_method = "pending-reboot" },
  ]
}
variable "subnet_ids" {
  default = ["subnet-1", "subnet-2"]
}

locals {
  family = "postgres${split(".", var.engine_version)[0]}"
  port   = 5432
  tags   = { Service = var.identifier }
}

resource "random_password" "master" {
  length           = 32
  special          = true
  override_special = "!#$%^&*()-_=+"
}

resource "aws_secretsmanager_secret" "master" {
  name_prefix = "${var.identifier}-master-"
  tags        = local.tags
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id = aws_secretsmanager_secret.master.id
  secret_string = jsonencode({
    username = "app"
    password = random_password.master.result
    port     = local.port
  })
}

resource "aws_db_subnet_group" "this" {
  name_prefix = "${var.identifier}-"
  subnet_ids  = var.subnet_ids
  tags        = local.tags
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.identifier}-"
  family      = local.family

  dynamic "parameter" {
    for_each = var.parameters
    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = lookup(parameter.value, "apply_method", null)
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "primary" {
  identifier                   = var.identifier
  engine                       = "postgres"
  engine_version               = var.engine_version
  instance_class               = "db.r6g.large"
  allocated_storage            = 100
  max_allocated_storage        = 500
  username                     = "app"
  password                     = random_password.master.result
  port                         = local.port
  db_subnet_group_name         = aws_db_subnet_group.this.name
  parameter_group_name         = aws_db_parameter_group.this.name
  multi_az                     = true
  storage_encrypted            = true
  backup_retention_period      = 14
  performance_insights_enabled = true
  skip_final_snapshot          = false
  final_snapshot_identifier    = "${var.identifier}-final"
  tags                         = local.tags
}

resource "aws_db_instance" "replica" {
  count               = var.create_replica ? var.replica_count : 0
  identifier          = "${var.identifier}-replica-${count.index + 1}"
  replicate_source_db = aws_db_instance.primary.identifier
  instance_class      = "db.r6g.large"
  skip_final_snapshot = true
  tags                = merge(local.tags, { Role = "replica" })
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  for_each            = merge({ primary = aws_db_instance.primary.identifier }, { for i, r in aws_db_instance.replica : "replica-${i}" => r.identifier })
  alarm_name          = "${each.key}-cpu-high"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 3
  metric_name         = "CPUUtilization"
  namespace           = "AWS/RDS"
  period              = 300
  statistic           = "Average"
  threshold           = 80
  dimensions = {
    DBInstanceIdentifier = each.value
  }
}

output "endpoint" {
  value = aws_db_instance.primary.endpoint
}
output "replica_endpoints" {
  value = aws_db_instance.replica[*].endpoint
}
output "password" {
  value     = random_password.master.result
  sensitive = true
}
