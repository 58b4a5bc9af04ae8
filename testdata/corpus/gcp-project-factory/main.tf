terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

variable "billing_account" {
  default = "000000-111111-222222"
}
variable "defaults" {
  type = object({
    folder   = string
    labels   = map(string)
    services = list(string)
  })
  default = {
    folder   = "folders/1000"
    labels   = { managed-by = "factory" }
    services = ["logging.googleapis.com", "monitoring.googleapis.com"]
  }
}

locals {
  project_files = fileset("${path.module}/projects", "*.yaml")
  projects = {
    for f in local.project_files :
    trimsuffix(f, ".yaml") => yamldecode(file("${path.module}/projects/${f}"))
  }
}

module "project" {
  source   = "./modules/project"
  for_each = local.projects

  name            = each.key
  billing_account = var.billing_account
  parent          = try(each.value.parent, var.defaults.folder)
  labels          = merge(var.defaults.labels, try(each.value.labels, {}))
  services        = distinct(concat(var.defaults.services, try(each.value.services, [])))
  iam             = try(each.value.iam, {})
  budget_amount   = try(each.value.budget, null)
  service_accounts = try(each.value.service_accounts, {})
}

output "project_ids" {
  value = { for k, p in module.project : k => p.project_id }
}
