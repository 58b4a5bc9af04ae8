variable "name" {
  type = string
}
variable "billing_account" {}
variable "parent" {}
variable "labels" {
  type    = map(string)
  default = {}
}
variable "services" {
  type    = list(string)
  default = []
}
variable "iam" {
  type    = map(list(string))
  default = {}
}
variable "budget_amount" {
  type    = number
  default = null
}
variable "service_accounts" {
  type = map(object({
    display_name = optional(string)
    roles        = optional(list(string), [])
  }))
  default = {}
}

locals {
  project_id = "acme-${var.name}"
  is_folder  = startswith(var.parent, "folders/")
  iam_pairs = flatten([
    for role, members in var.iam : [
      for m in members : { role = role, member = m }
    ]
  ])
  sa_roles = flatten([
    for sa, cfg in var.service_accounts : [
      for r in cfg.roles : { sa = sa, role = r }
    ]
  ])
}

resource "google_project" "project" {
  name                = var.name
  project_id          = local.project_id
  folder_id           = local.is_folder ? split("/", var.parent)[1] : null
  org_id              = local.is_folder ? null : split("/", var.parent)[1]
  billing_account     = var.billing_account
  labels              = var.labels
  auto_create_network = false
  deletion_policy     = "PREVENT"
}

resource "google_project_service" "services" {
  for_each                   = toset(var.services)
  project                    = google_project.project.project_id
  service                    = each.value
  disable_on_destroy         = false
  disable_dependent_services = false
}

resource "google_project_iam_member" "members" {
  for_each = { for p in local.iam_pairs : "${p.role}/${p.member}" => p }
  project  = google_project.project.project_id
  role     = each.value.role
  member   = each.value.member
}

resource "google_service_account" "sa" {
  for_each     = var.service_accounts
  project      = google_project.project.project_id
  account_id   = each.key
  display_name = coalesce(each.value.display_name, each.key)
}

resource "google_project_iam_member" "sa_roles" {
  for_each = { for p in local.sa_roles : "${p.sa}/${p.role}" => p }
  project  = google_project.project.project_id
  role     = each.value.role
  member   = "serviceAccount:${google_service_account.sa[each.value.sa].email}"
}

resource "google_billing_budget" "budget" {
  count           = var.budget_amount == null ? 0 : 1
  billing_account = var.billing_account
  display_name    = "${local.project_id} budget"
  budget_filter {
    projects = ["projects/${google_project.project.number}"]
  }
  amount {
    specified_amount {
      currency_code = "EUR"
      units         = tostring(var.budget_amount)
    }
  }
  dynamic "threshold_rules" {
    for_each = [0.5, 0.9, 1.0]
    content {
      threshold_percent = threshold_rules.value
    }
  }
}

output "project_id" {
  value = google_project.project.project_id
}
output "number" {
  value = google_project.project.number
}
