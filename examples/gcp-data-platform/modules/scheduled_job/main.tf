# A Cloud Scheduler job that calls a pipeline over HTTP with an OIDC token.

variable "name" { type = string }
variable "schedule" { type = string }
variable "region" { type = string }
variable "target_uri" { type = string }
variable "invoker_email" { type = string }

resource "google_cloud_scheduler_job" "this" {
  count     = 1
  name      = var.name
  region    = var.region
  schedule  = var.schedule
  time_zone = "Europe/Brussels"
  http_target {
    uri         = var.target_uri
    http_method = "POST"
    oidc_token {
      service_account_email = var.invoker_email
    }
  }
}
