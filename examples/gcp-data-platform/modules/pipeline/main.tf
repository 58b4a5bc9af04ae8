# One pipeline: a Cloud Run service or a 2nd-gen Cloud Function, depending on `kind`.

variable "name" { type = string }
variable "kind" { type = string }
variable "region" { type = string }
variable "project_id" { type = string }
variable "service_account" { type = string }
variable "source_bucket" { type = string }

resource "google_cloud_run_v2_service" "this" {
  count    = var.kind == "run" ? 1 : 0
  name     = var.name
  location = var.region
  template {
    service_account = var.service_account
    containers {
      image = "europe-docker.pkg.dev/${var.project_id}/pipelines/${var.name}:latest"
    }
  }
}

resource "google_cloudfunctions2_function" "this" {
  count    = var.kind == "function" ? 1 : 0
  name     = var.name
  location = var.region
  build_config {
    runtime     = "python312"
    entry_point = "main"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "functions/${var.name}.zip"
      }
    }
  }
  service_config {
    service_account_email = var.service_account
    available_memory      = "512M"
  }
}

output "uri" {
  value = var.kind == "run" ? google_cloud_run_v2_service.this[0].uri : google_cloudfunctions2_function.this[0].url
}
