variable "name" {}
variable "cluster" {}
variable "location" {}
variable "service_account" {}
variable "config" {
  type = object({
    machine_type = string
    min_count    = number
    max_count    = number
    spot         = bool
    disk_size_gb = number
    labels       = map(string)
    taints       = list(object({ key = string, value = string, effect = string }))
    zones        = optional(list(string))
  })
}

resource "google_container_node_pool" "pool" {
  name           = var.name
  cluster        = var.cluster
  location       = var.location
  node_locations = var.config.zones

  autoscaling {
    min_node_count = var.config.min_count
    max_node_count = var.config.max_count
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.config.machine_type
    spot            = var.config.spot
    disk_size_gb    = var.config.disk_size_gb
    service_account = var.service_account
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    labels          = merge({ pool = var.name }, var.config.labels)

    dynamic "taint" {
      for_each = var.config.taints
      content {
        key    = taint.value.key
        value  = taint.value.value
        effect = taint.value.effect
      }
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot = true
    }
  }

  lifecycle {
    ignore_changes = [initial_node_count]
  }
}

output "name" {
  value = google_container_node_pool.pool.name
}
