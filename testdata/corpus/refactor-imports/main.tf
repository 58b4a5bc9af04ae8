terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

locals {
  buckets = {
    logs    = { location = "EU", retention_days = 365 }
    exports = { location = "EU" }
    cdn     = { location = "US", public = true }
  }
  legacy_ids = {
    logs    = "acme-logs-legacy"
    exports = "acme-exports-legacy"
  }
}

module "bucket" {
  source   = "./modules/bucket"
  for_each = local.buckets
  name     = "acme-${each.key}"
  config   = each.value
}

# The buckets were created by hand; the root imports them into the module instances.
import {
  for_each = local.legacy_ids
  to       = module.bucket[each.key].google_storage_bucket.this
  id       = "acme-project/${each.value}"
}

# They used to be plain resources in the root module.
moved {
  from = google_storage_bucket.logs
  to   = module.bucket["logs"].google_storage_bucket.this
}

moved {
  from = google_storage_bucket.exports
  to   = module.bucket["exports"].google_storage_bucket.this
}

removed {
  from = google_storage_bucket.scratch
  lifecycle {
    destroy = false
  }
}

check "cdn_is_public" {
  assert {
    condition     = module.bucket["cdn"].public
    error_message = "the CDN bucket must be public"
  }
}
