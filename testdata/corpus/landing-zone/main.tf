terraform {
  required_providers {
    google = { source = "hashicorp/google", version = ">= 6.0" }
  }
}

variable "organization_id" {
  default = "123456789012"
}
variable "billing_account" {
  default = "ABCDEF-012345-6789AB"
}
variable "prefix" {
  default = "acme"
}

locals {
  hierarchy = {
    platform = {
      children = {
        networking = { projects = ["net-host-prod", "net-host-dev"] }
        security   = { projects = ["sec-logging", "sec-kms"] }
      }
    }
    workloads = {
      children = {
        prod = { projects = ["shop-prod", "payments-prod"] }
        dev  = { projects = ["shop-dev"] }
      }
    }
  }
  org_policy_schema = jsondecode(file("${path.module}/schemas/org-policy.schema.json"))
  org_policies = {
    for f in fileset("${path.module}/data/org-policies", "*.yaml") :
    trimsuffix(f, ".yaml") => yamldecode(file("${path.module}/data/org-policies/${f}"))
  }
  valid_policies = {
    for k, v in local.org_policies : k => v
    if alltrue([for req in local.org_policy_schema.required : can(v[req])])
  }
  second_level = merge([
    for top, t in local.hierarchy : {
      for name, c in t.children : "${top}/${name}" => merge(c, { parent_key = top, name = name })
    }
  ]...)
  projects = merge([
    for key, f in local.second_level : {
      for p in f.projects : p => { folder_key = key }
    }
  ]...)
}

module "top_folder" {
  source   = "./modules/folder"
  for_each = local.hierarchy
  parent   = "organizations/${var.organization_id}"
  name     = title(each.key)
  iam = {
    "roles/resourcemanager.folderViewer" = ["group:gcp-viewers@acme.example"]
  }
}

module "folder" {
  source   = "./modules/folder"
  for_each = local.second_level
  parent   = module.top_folder[each.value.parent_key].id
  name     = title(each.value.name)
  iam      = {}
}

module "project" {
  source          = "./modules/project"
  for_each        = local.projects
  name            = "${var.prefix}-${each.key}"
  folder_id       = module.folder[each.value.folder_key].id
  billing_account = var.billing_account
  env             = endswith(each.key, "-prod") ? "prod" : "nonprod"
}

resource "google_org_policy_policy" "org" {
  for_each = local.valid_policies
  name     = "organizations/${var.organization_id}/policies/${each.value.constraint}"
  parent   = "organizations/${var.organization_id}"

  spec {
    dynamic "rules" {
      for_each = try(each.value.enforce, null) != null ? [each.value.enforce] : []
      content {
        enforce = rules.value ? "TRUE" : "FALSE"
      }
    }
    dynamic "rules" {
      for_each = try(each.value.allow, [])
      content {
        values {
          allowed_values = [rules.value]
        }
      }
    }
  }
}

resource "google_logging_organization_sink" "audit" {
  name             = "${var.prefix}-audit"
  org_id           = var.organization_id
  destination      = "logging.googleapis.com/projects/${module.project["sec-logging"].project_id}/locations/global/buckets/audit"
  include_children = true
  filter           = "logName:\"cloudaudit.googleapis.com\""
}

output "folders" {
  value = merge({ for k, f in module.top_folder : k => f.id }, { for k, f in module.folder : k => f.id })
}
output "projects" {
  value = { for k, p in module.project : k => p.project_id }
}
output "skipped_policies" {
  value = sort(setsubtract(keys(local.org_policies), keys(local.valid_policies)))
}
