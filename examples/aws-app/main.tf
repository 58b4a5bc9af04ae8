# An order-processing application on AWS: an SQS queue with a dead-letter queue, an ECS cluster
# with one Fargate worker per queue consumer (a module used with for_each: its own queue, task
# role and policy, log group, task definition and service), the role ECS starts tasks with, and
# S3 buckets for build artifacts and exports.
#
# terraform.tfstate is what the previous `terraform apply` left. The last apply, which added the
# shipping worker, the second export bucket and versioning on the artifacts bucket, created all
# of them but was killed before it could save state. Since then, the orders queue was retuned in
# the console during an incident, a tagging tool added a cost-center tag to the execution role,
# and the billing worker's log retention was raised for an audit.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "app" {
  type    = string
  default = "orders"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "workers" {
  description = "Queue consumers: a queue, a task role, a task definition and an ECS service each."
  type = map(object({
    cpu           = number
    memory        = number
    desired_count = number
    dead_letter   = bool
  }))
  default = {
    billing  = { cpu = 256, memory = 512, desired_count = 2, dead_letter = false }
    shipping = { cpu = 512, memory = 1024, desired_count = 1, dead_letter = true }
  }
}

locals {
  tags = {
    app         = var.app
    environment = var.environment
    managed_by  = "terraform"
  }
  ecs_tasks_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# IAM: the role ECS uses to start tasks, with AWS's managed policy. Each worker has a task role of
# its own (in the module).

resource "aws_iam_role" "task_execution" {
  name               = "${var.app}-task-execution"
  assume_role_policy = local.ecs_tasks_trust
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "task_execution" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# SQS: incoming orders, with a dead-letter queue for messages that keep failing.

resource "aws_sqs_queue" "orders_dlq" {
  name                      = "${var.app}-dlq"
  message_retention_seconds = 1209600
  tags                      = local.tags
}

resource "aws_sqs_queue" "orders" {
  name                       = var.app
  visibility_timeout_seconds = 60
  message_retention_seconds  = 345600
  receive_wait_time_seconds  = 20
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
    maxReceiveCount     = 5
  })
  tags = local.tags
}

# S3: build artifacts (versioned, never public) and daily exports for two partners.

resource "aws_s3_bucket" "artifacts" {
  bucket = "acme-${var.app}-artifacts"
  tags   = local.tags
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "exports" {
  count  = 2
  bucket = "acme-${var.app}-exports-${count.index}"
  tags   = local.tags
}

# ECS: one cluster, one Fargate service per worker, in the account's default VPC.

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

data "aws_security_group" "default" {
  vpc_id = data.aws_vpc.default.id
  name   = "default"
}

resource "aws_ecs_cluster" "main" {
  name = var.app
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
  tags = local.tags
}

# One worker per queue consumer.

module "workers" {
  source   = "./modules/worker"
  for_each = var.workers

  app                = var.app
  name               = each.key
  cpu                = each.value.cpu
  memory             = each.value.memory
  desired_count      = each.value.desired_count
  dead_letter        = each.value.dead_letter
  cluster_arn        = aws_ecs_cluster.main.arn
  execution_role_arn = aws_iam_role.task_execution.arn
  subnet_ids         = data.aws_subnets.default.ids
  security_group_ids = [data.aws_security_group.default.id]
  tags               = local.tags
}
