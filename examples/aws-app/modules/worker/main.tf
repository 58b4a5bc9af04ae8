# One queue consumer: its queue (with a dead-letter queue when asked), the role its tasks run as
# with a policy to consume the queue, a log group, a Fargate task definition and the ECS service.

variable "app" { type = string }
variable "name" { type = string }
variable "cpu" { type = number }
variable "memory" { type = number }
variable "desired_count" { type = number }
variable "dead_letter" { type = bool }
variable "cluster_arn" { type = string }
variable "execution_role_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "security_group_ids" { type = list(string) }
variable "tags" { type = map(string) }

locals {
  prefix = "${var.app}-${var.name}"
}

resource "aws_sqs_queue" "dead_letter" {
  count = var.dead_letter ? 1 : 0
  name  = "${local.prefix}-dlq"
  tags  = var.tags
}

resource "aws_sqs_queue" "this" {
  name                       = local.prefix
  visibility_timeout_seconds = 120
  redrive_policy = var.dead_letter ? jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[0].arn
    maxReceiveCount     = 3
  }) : null
  tags = var.tags
}

resource "aws_iam_role" "task" {
  name = "${local.prefix}-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_policy" "consume" {
  name        = "${local.prefix}-consume"
  description = "Consume the ${var.name} queue"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
      ]
      Resource = aws_sqs_queue.this.arn
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "consume" {
  role       = aws_iam_role.task.name
  policy_arn = aws_iam_policy.consume.arn
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.app}/${var.name}"
  retention_in_days = 30
  tags              = var.tags
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.prefix
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name      = var.name
    image     = "public.ecr.aws/acme/${local.prefix}:1.4.2"
    essential = true
    environment = [
      { name = "QUEUE_URL", value = aws_sqs_queue.this.url },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = var.name
      }
    }
  }])
  tags = var.tags
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = false
  }
  tags = var.tags
}

output "queue_url" {
  value = aws_sqs_queue.this.url
}
