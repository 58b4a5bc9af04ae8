variable "name" {}
variable "config" {
  type = object({
    location       = string
    retention_days = optional(number)
    public         = optional(bool, false)
  })
}

resource "google_storage_bucket" "this" {
  name                        = var.name
  location                    = var.config.location
  uniform_bucket_level_access = true

  dynamic "retention_policy" {
    for_each = var.config.retention_days == null ? [] : [var.config.retention_days]
    content {
      retention_period = retention_policy.value * 86400
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_storage_bucket_iam_member" "public" {
  count  = var.config.public ? 1 : 0
  bucket = google_storage_bucket.this.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

output "public" {
  value = var.config.public
}
