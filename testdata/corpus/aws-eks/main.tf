terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
    tls = { source = "hashicorp/tls", version = ">= 4.0" }
  }
}

variable "cluster_name" {
  default = "platform"
}
variable "cluster_version" {
  default = "1.30"
}
variable "subnet_ids" {
  default = ["subnet-a", "subnet-b", "subnet-c"]
}
variable "node_groups" {
  type = map(object({
    instance_types = optional(list(string), ["m6i.large"])
    min_size       = optional(number, 1)
    max_size       = optional(number, 3)
    desired_size   = optional(number)
    capacity_type  = optional(string, "ON_DEMAND")
    labels         = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })), [])
  }))
  default = {
    system = { min_size = 2, labels = { role = "system" } }
    spot = {
      instance_types = ["m6i.large", "m5.large"]
      capacity_type  = "SPOT"
      max_size       = 10
      taints         = [{ key = "spot", value = "true", effect = "NO_SCHEDULE" }]
    }
  }
}

locals {
  cluster_role_policies = ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]
  addons = {
    coredns    = { most_recent = true }
    kube-proxy = {}
    vpc-cni    = { configuration_values = jsonencode({ env = { ENABLE_PREFIX_DELEGATION = "true" } }) }
  }
  security_group_rules = {
    ingress_nodes_443 = { type = "ingress", from_port = 443, to_port = 443, protocol = "tcp", description = "Node groups to cluster API" }
    egress_all        = { type = "egress", from_port = 0, to_port = 0, protocol = "-1", description = "All egress", cidr_blocks = ["0.0.0.0/0"] }
  }
}

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name_prefix        = "${var.cluster_name}-cluster-"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each   = toset(local.cluster_role_policies)
  policy_arn = "arn:aws:iam::aws:policy/${each.value}"
  role       = aws_iam_role.cluster.name
}

resource "aws_security_group" "cluster" {
  name_prefix = "${var.cluster_name}-cluster-"
  vpc_id      = "vpc-123"
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group_rule" "cluster" {
  for_each          = local.security_group_rules
  security_group_id = aws_security_group.cluster.id
  type              = each.value.type
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  protocol          = each.value.protocol
  description       = each.value.description
  cidr_blocks       = lookup(each.value, "cidr_blocks", null)
  self              = each.value.type == "ingress" ? true : null
}

resource "aws_eks_cluster" "this" {
  name     = var.cluster_name
  version  = var.cluster_version
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = var.subnet_ids
    security_group_ids      = [aws_security_group.cluster.id]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  access_config {
    authentication_mode = "API_AND_CONFIG_MAP"
  }

  depends_on = [aws_iam_role_policy_attachment.cluster]
}

data "tls_certificate" "oidc" {
  url = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

resource "aws_iam_openid_connect_provider" "oidc" {
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.oidc.certificates[0].sha1_fingerprint]
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

resource "aws_eks_addon" "this" {
  for_each                    = local.addons
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  configuration_values        = try(each.value.configuration_values, null)
  resolve_conflicts_on_update = "OVERWRITE"
  depends_on                  = [module.node_group]
}

module "node_group" {
  source   = "./modules/node-group"
  for_each = var.node_groups

  name            = each.key
  cluster_name    = aws_eks_cluster.this.name
  cluster_version = aws_eks_cluster.this.version
  subnet_ids      = var.subnet_ids
  instance_types  = each.value.instance_types
  capacity_type   = each.value.capacity_type
  scaling = {
    min     = each.value.min_size
    max     = each.value.max_size
    desired = coalesce(each.value.desired_size, each.value.min_size)
  }
  labels = merge({ "node-group" = each.key }, each.value.labels)
  taints = each.value.taints
}

output "cluster_endpoint" {
  value = aws_eks_cluster.this.endpoint
}
output "oidc_provider_arn" {
  value = aws_iam_openid_connect_provider.oidc.arn
}
output "node_group_arns" {
  value = { for k, g in module.node_group : k => g.arn }
}
