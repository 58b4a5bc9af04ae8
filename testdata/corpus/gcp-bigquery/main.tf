terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

variable "project_id" {
  default = "acme-data-prod"
}

locals {
  datasets = {
    raw     = { location = "EU", description = "Landing zone", expiration_days = 30, readers = ["group:data-eng@acme.example"] }
    curated = { location = "EU", description = "Curated", readers = ["group:analysts@acme.example", "group:data-eng@acme.example"] }
  }
  schema_files = fileset("${path.module}/schemas", "*/*.json")
  tables = {
    for f in local.schema_files :
    replace(trimsuffix(f, ".json"), "/", ".") => {
      dataset = dirname(f)
      table   = trimsuffix(basename(f), ".json")
      schema  = file("${path.module}/schemas/${f}")
    }
  }
  readers = flatten([
    for ds, d in local.datasets : [for m in d.readers : { dataset = ds, member = m }]
  ])
}

resource "google_bigquery_dataset" "ds" {
  for_each                    = local.datasets
  project                     = var.project_id
  dataset_id                  = each.key
  location                    = each.value.location
  description                 = each.value.description
  default_table_expiration_ms = try(each.value.expiration_days * 86400000, null)
  delete_contents_on_destroy  = false
  labels                      = { layer = each.key }
}

resource "google_bigquery_table" "table" {
  for_each            = local.tables
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.ds[each.value.dataset].dataset_id
  table_id            = each.value.table
  schema              = each.value.schema
  deletion_protection = true

  dynamic "time_partitioning" {
    for_each = anytrue([for c in jsondecode(each.value.schema) : c.name == "created"]) ? ["created"] : []
    content {
      type  = "DAY"
      field = time_partitioning.value
    }
  }

  clustering = [for c in jsondecode(each.value.schema) : c.name if try(c.mode, "NULLABLE") == "REQUIRED"]
}

resource "google_bigquery_dataset_iam_member" "reader" {
  for_each   = { for r in local.readers : "${r.dataset}/${r.member}" => r }
  project    = var.project_id
  dataset_id = google_bigquery_dataset.ds[each.value.dataset].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = each.value.member
}

output "tables" {
  value = sort(keys(local.tables))
}
