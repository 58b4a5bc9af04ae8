terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "cluster_name" {
  default = "apps"
}
variable "image_tag" {
  default = "1.4.2"
}
variable "services" {
  type = map(object({
    cpu           = optional(number, 256)
    memory        = optional(number, 512)
    port          = number
    desired_count = optional(number, 2)
    path_patterns = list(string)
    environment   = optional(map(string), {})
    secrets       = optional(map(string), {})
  }))
  default = {
    orders = { port = 8080, path_patterns = ["/orders/*"], environment = { LOG_LEVEL = "info" }, secrets = { DB_URL = "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/db" } }
    users  = { port = 8081, path_patterns = ["/users/*", "/me"], cpu = 512, memory = 1024 }
  }
}

locals {
  priority = { for i, k in sort(keys(var.services)) : k => 100 + i * 10 }
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "service" {
  for_each          = var.services
  name              = "/ecs/${var.cluster_name}/${each.key}"
  retention_in_days = 14
}

resource "aws_ecs_task_definition" "service" {
  for_each                 = var.services
  family                   = "${var.cluster_name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  container_definitions = templatefile("${path.module}/templates/container.json.tftpl", {
    name        = each.key
    image       = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/${each.key}:${var.image_tag}"
    port        = each.value.port
    log_group   = "/ecs/${var.cluster_name}/${each.key}"
    environment = each.value.environment
    secrets     = each.value.secrets
  })
}

resource "aws_lb_target_group" "service" {
  for_each    = var.services
  name        = substr("${var.cluster_name}-${each.key}", 0, 32)
  port        = each.value.port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = "vpc-123"
  health_check {
    path    = "/healthz"
    matcher = "200-299"
  }
}

resource "aws_lb_listener_rule" "service" {
  for_each     = var.services
  listener_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/apps/abc/def"
  priority     = local.priority[each.key]
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service[each.key].arn
  }
  dynamic "condition" {
    for_each = [each.value.path_patterns]
    content {
      path_pattern {
        values = condition.value
      }
    }
  }
}

resource "aws_ecs_service" "service" {
  for_each        = var.services
  name            = each.key
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.service[each.key].arn
  desired_count   = each.value.desired_count
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = ["subnet-1", "subnet-2"]
    security_groups = ["sg-123"]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.service[each.key].arn
    container_name   = each.key
    container_port   = each.value.port
  }
  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "service" {
  for_each           = var.services
  max_capacity       = each.value.desired_count * 4
  min_capacity       = each.value.desired_count
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.service[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"
}
