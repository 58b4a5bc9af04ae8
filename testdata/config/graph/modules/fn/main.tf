variable "name" {}
variable "bucket" {}

resource "google_storage_bucket_object" "code" {
  name   = "${var.name}.zip"
  bucket = var.bucket
}

resource "google_cloudfunctions2_function" "this" {
  name = var.name
  build_config {
    source {
      storage_source {
        bucket = var.bucket
        object = google_storage_bucket_object.code.name
      }
    }
  }
}

output "uri" {
  value = google_cloudfunctions2_function.this.url
}
