terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.40" }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  account_id = "123456789012"
  roles = {
    ci-deployer = {
      trusted_services = []
      trusted_arns     = ["arn:aws:iam::${local.account_id}:root"]
      managed_policies = ["arn:aws:iam::aws:policy/PowerUserAccess"]
      inline = {
        assume-admin = { actions = ["sts:AssumeRole"], resources = ["arn:aws:iam::*:role/admin"] }
      }
      max_session_duration = 7200
    }
    lambda-exec = {
      trusted_services = ["lambda.amazonaws.com"]
      managed_policies = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
      inline = {
        read-secrets = { actions = ["secretsmanager:GetSecretValue"], resources = ["arn:aws:secretsmanager:us-east-1:${local.account_id}:secret:app/*"] }
        write-logs   = { actions = ["logs:CreateLogStream", "logs:PutLogEvents"], resources = ["*"] }
      }
    }
    readonly = {
      trusted_arns     = ["arn:aws:iam::${local.account_id}:root"]
      managed_policies = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    }
  }
  groups = {
    developers = ["alice", "bob"]
    operators  = ["carol"]
  }
}

module "role" {
  source   = "./modules/role"
  for_each = local.roles

  name                 = each.key
  trusted_services     = try(each.value.trusted_services, [])
  trusted_arns         = try(each.value.trusted_arns, [])
  managed_policy_arns  = each.value.managed_policies
  inline_policies      = try(each.value.inline, {})
  max_session_duration = try(each.value.max_session_duration, 3600)
  tags                 = { Team = "platform" }
}

resource "aws_iam_group" "this" {
  for_each = local.groups
  name     = each.key
}

resource "aws_iam_user" "this" {
  for_each = toset(flatten(values(local.groups)))
  name     = each.key
  tags     = { Groups = join(",", [for g, users in local.groups : g if contains(users, each.key)]) }
}

resource "aws_iam_user_group_membership" "this" {
  for_each = aws_iam_user.this
  user     = each.value.name
  groups   = [for g, users in local.groups : aws_iam_group.this[g].name if contains(users, each.key)]
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 16
  require_symbols                = true
  allow_users_to_change_password = true
}

output "role_arns" {
  value = { for k, m in module.role : k => m.arn }
}
