# A Google Cloud data platform: scheduled jobs call Cloud Run and Cloud Functions pipelines that
# load BigQuery, with buckets, Pub/Sub, alerting, service accounts and IAM.
#
# The workspace selected in .terraform/environment is "dev", whose state is empty, while the
# resources exist (and the default workspace holds a state for them): the situation in which
# `terraform apply` would try to create everything again and fail halfway.

terraform {
  required_version = ">= 1.5"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

variable "project_id" {
  type    = string
  default = "acme-data-dev"
}

variable "region" {
  type    = string
  default = "europe-west1"
}

variable "pipelines" {
  description = "Pipelines and the kind of compute that runs them."
  type = map(object({
    kind     = string
    schedule = string
    dataset  = string
  }))
  default = {
    "refresh-gold"  = { kind = "function", schedule = "0 3 * * *", dataset = "gold" }
    "ingest-orders" = { kind = "run", schedule = "*/15 * * * *", dataset = "raw" }
    "quality-check" = { kind = "run", schedule = "30 4 * * *", dataset = "silver" }
  }
}

locals {
  datasets = toset(["raw", "silver", "gold"])
  labels   = { team = "data", env = terraform.workspace }
}

resource "google_service_account" "pipelines" {
  account_id   = "pipelines"
  display_name = "Data pipelines"
}

resource "google_service_account" "scheduler" {
  account_id   = "scheduler"
  display_name = "Cloud Scheduler invoker"
}

resource "google_storage_bucket" "landing" {
  name                        = "${var.project_id}-landing"
  location                    = "EU"
  uniform_bucket_level_access = true
  labels                      = local.labels
}

resource "google_storage_bucket" "exports" {
  count                       = 2
  name                        = "${var.project_id}-exports-${count.index}"
  location                    = "EU"
  uniform_bucket_level_access = true
  labels                      = local.labels
}

resource "google_bigquery_dataset" "this" {
  for_each   = local.datasets
  dataset_id = each.key
  location   = "EU"
  labels     = local.labels
}

resource "google_bigquery_table" "orders" {
  dataset_id          = google_bigquery_dataset.this["raw"].dataset_id
  table_id            = "orders"
  deletion_protection = true
  schema = jsonencode([
    { name = "order_id", type = "STRING", mode = "REQUIRED" },
    { name = "amount", type = "NUMERIC", mode = "NULLABLE" },
    { name = "created_at", type = "TIMESTAMP", mode = "REQUIRED" },
  ])
}

resource "google_pubsub_topic" "events" {
  name   = "pipeline-events"
  labels = local.labels
}

resource "google_pubsub_subscription" "events_audit" {
  name  = "pipeline-events-audit"
  topic = google_pubsub_topic.events.id
}

resource "google_project_iam_member" "pipelines_bq" {
  for_each = toset(["roles/bigquery.dataEditor", "roles/bigquery.jobUser"])
  project  = var.project_id
  role     = each.key
  member   = "serviceAccount:${google_service_account.pipelines.email}"
}

resource "google_monitoring_notification_channel" "oncall" {
  display_name = "Data on-call"
  type         = "email"
  labels = {
    email_address = "data-oncall@acme.example"
  }
}

resource "google_monitoring_alert_policy" "pipeline_errors" {
  display_name = "Pipeline errors"
  combiner     = "OR"
  conditions {
    display_name = "Error log entries"
    condition_matched_log {
      filter = "severity>=ERROR AND resource.type=\"cloud_run_revision\""
    }
  }
  notification_channels = [google_monitoring_notification_channel.oncall.id]
  alert_strategy {
    notification_rate_limit {
      period = "300s"
    }
  }
}

module "pipelines" {
  source   = "./modules/pipeline"
  for_each = var.pipelines

  name            = each.key
  kind            = each.value.kind
  region          = var.region
  project_id      = var.project_id
  service_account = google_service_account.pipelines.email
  source_bucket   = google_storage_bucket.landing.name
}

module "jobs" {
  source   = "./modules/scheduled_job"
  for_each = var.pipelines

  name                  = each.key
  schedule              = each.value.schedule
  region                = var.region
  target_uri            = module.pipelines[each.key].uri
  invoker_email         = google_service_account.scheduler.email
}
