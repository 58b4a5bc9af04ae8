variable "env" {
  default = "dev"
}

variable "functions" {
  type    = list(string)
  default = ["refresh-gold", "ingest"]
}

locals {
  bucket_name = "acme-${var.env}-src"
}

resource "google_storage_bucket" "src" {
  name = local.bucket_name
}

module "functions" {
  source   = "./modules/fn"
  for_each = toset(var.functions)
  name     = each.key
  bucket   = google_storage_bucket.src.name
}

data "google_project" "this" {}

resource "google_pubsub_topic" "events" {
  name       = "events-${var.env}"
  project    = data.google_project.this.project_id
  depends_on = [module.functions]
}
