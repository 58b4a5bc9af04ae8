terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

variable "projects" {
  default = ["acme-shop-prod", "acme-shop-dev"]
}
variable "bindings" {
  type = map(list(string))
  default = {
    "roles/viewer"                 = ["group:everyone@acme.example"]
    "roles/logging.viewer"         = ["group:sre@acme.example", "group:dev@acme.example"]
    "roles/cloudsql.client"        = ["serviceAccount:app@acme-shop-prod.iam.gserviceaccount.com"]
    "roles/iam.serviceAccountUser" = []
  }
}
variable "conditional_bindings" {
  default = [
    {
      role        = "roles/storage.objectViewer"
      title       = "expires-2030"
      description = "Temporary access"
      expression  = "request.time < timestamp(\"2030-01-01T00:00:00Z\")"
      members     = ["user:contractor@partner.example"]
    },
  ]
}

module "iam" {
  source               = "./modules/project-iam"
  for_each             = toset(var.projects)
  project              = each.value
  mode                 = "additive"
  bindings             = var.bindings
  conditional_bindings = var.conditional_bindings
}

resource "google_project_iam_audit_config" "all" {
  for_each = toset(var.projects)
  project  = each.value
  service  = "allServices"
  audit_log_config {
    log_type = "ADMIN_READ"
  }
  audit_log_config {
    log_type         = "DATA_READ"
    exempted_members = ["group:sre@acme.example"]
  }
}

resource "google_project_iam_custom_role" "deployer" {
  for_each    = toset(var.projects)
  project     = each.value
  role_id     = "deployer"
  title       = "Deployer"
  permissions = ["run.services.update", "run.services.get", "iam.serviceAccounts.actAs"]
}

output "bindings" {
  value = { for p, m in module.iam : p => m.members }
}
