variable "name" {}
variable "folder_id" {}
variable "billing_account" {}
variable "env" {}

locals {
  base_services = ["logging.googleapis.com", "monitoring.googleapis.com", "cloudresourcemanager.googleapis.com"]
  env_services  = var.env == "prod" ? ["cloudkms.googleapis.com"] : []
  schema        = jsondecode(file("${path.module}/../../schemas/org-policy.schema.json"))
}

resource "google_project" "project" {
  name            = var.name
  project_id      = var.name
  folder_id       = var.folder_id
  billing_account = var.billing_account
  labels          = { env = var.env, schema = lower(replace(local.schema.title, " ", "-")) }
  deletion_policy = "DELETE"
}

resource "google_project_service" "service" {
  for_each = toset(concat(local.base_services, local.env_services))
  project  = google_project.project.project_id
  service  = each.value
}

output "project_id" {
  value = google_project.project.project_id
}
