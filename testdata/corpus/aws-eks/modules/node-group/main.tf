variable "name" {}
variable "cluster_name" {}
variable "cluster_version" {}
variable "subnet_ids" { type = list(string) }
variable "instance_types" { type = list(string) }
variable "capacity_type" {}
variable "scaling" {
  type = object({ min = number, max = number, desired = number })
}
variable "labels" {
  type    = map(string)
  default = {}
}
variable "taints" {
  type    = list(object({ key = string, value = optional(string), effect = string }))
  default = []
}

locals {
  node_policies = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEKS_CNI_Policy",
  ])
}

resource "aws_iam_role" "node" {
  name_prefix = "${var.cluster_name}-${var.name}-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each   = local.node_policies
  policy_arn = "arn:aws:iam::aws:policy/${each.key}"
  role       = aws_iam_role.node.name
}

resource "aws_launch_template" "this" {
  name_prefix = "${var.cluster_name}-${var.name}-"
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 50
      volume_type = "gp3"
      encrypted   = true
    }
  }
  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.cluster_name}-${var.name}" }
  }
}

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = var.name
  version         = var.cluster_version
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  instance_types  = var.instance_types
  capacity_type   = var.capacity_type
  labels          = var.labels

  scaling_config {
    min_size     = var.scaling.min
    max_size     = var.scaling.max
    desired_size = var.scaling.desired
  }

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  dynamic "taint" {
    for_each = var.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}

output "arn" {
  value = aws_eks_node_group.this.arn
}
output "role_name" {
  value = aws_iam_role.node.name
}
