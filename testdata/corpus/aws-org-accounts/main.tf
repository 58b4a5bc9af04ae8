terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

locals {
  org           = yamldecode(file("${path.module}/organization.yaml"))
  ous           = { for ou in local.org.organizational_units : ou.name => ou }
  accounts      = merge([for ou in local.org.organizational_units : { for a in ou.accounts : a.name => merge(a, { ou = ou.name }) }]...)
  policy_files  = fileset("${path.module}/policies", "*.json")
  policies      = { for f in local.policy_files : trimsuffix(f, ".json") => file("${path.module}/policies/${f}") }
  attachments = merge([
    for ou in local.org.organizational_units : { for p in try(ou.policies, []) : "${ou.name}/${p}" => { ou = ou.name, policy = p } }
  ]...)
}

resource "aws_organizations_organization" "org" {
  feature_set                   = "ALL"
  enabled_policy_types          = ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
  aws_service_access_principals = local.org.service_access
}

resource "aws_organizations_organizational_unit" "ou" {
  for_each  = local.ous
  name      = each.key
  parent_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_account" "account" {
  for_each          = local.accounts
  name              = each.key
  email             = each.value.email
  parent_id         = aws_organizations_organizational_unit.ou[each.value.ou].id
  close_on_deletion = false
  role_name         = "OrganizationAccountAccessRole"
  tags              = { OU = each.value.ou, Owner = try(each.value.owner, "platform") }
  lifecycle {
    ignore_changes = [role_name]
  }
}

resource "aws_organizations_policy" "scp" {
  for_each = local.policies
  name     = each.key
  type     = "SERVICE_CONTROL_POLICY"
  content  = jsonencode(jsondecode(each.value))
}

resource "aws_organizations_policy_attachment" "ou" {
  for_each  = local.attachments
  policy_id = aws_organizations_policy.scp[each.value.policy].id
  target_id = aws_organizations_organizational_unit.ou[each.value.ou].id
}

output "account_ids" {
  value = { for k, a in aws_organizations_account.account : k => a.id }
}
