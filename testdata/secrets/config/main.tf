# Every secret here holds the marker TFRECON-MARKER: no command and no output format may show it.

provider "google" {
  project = "acme"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "TFRECON-MARKER-variable-default"
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "google_service_account" "app" {
  account_id = "app"
}

resource "google_service_account_key" "k" {
  service_account_id = google_service_account.app.name
}

# A secret reached through a reference: the key's private_key is sensitive in state.
resource "google_pubsub_topic" "t" {
  name         = "t"
  kms_key_name = google_service_account_key.k.private_key
}

# A secret reached through a sensitive variable, in a for_each resource.
resource "google_pubsub_topic" "by_key" {
  for_each = toset(["a"])
  name     = "k-${each.key}"
  labels = {
    token = var.api_token
  }
}

resource "google_sql_user" "u" {
  name     = "app"
  instance = "db"
  password = var.db_password
}

data "google_secret_manager_secret_version" "api" {
  secret = "api"
}

resource "google_pubsub_topic" "from_data" {
  name         = "from-data"
  kms_key_name = data.google_secret_manager_secret_version.api.secret_data
}

# A function error over a sensitive value must not quote it.
locals {
  broken = cidrsubnet(var.api_token, 8, 1)
}

output "pw" {
  value     = var.db_password
  sensitive = true
}

output "broken" {
  value     = local.broken
  sensitive = true
}
