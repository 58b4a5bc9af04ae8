terraform {
  required_providers {
    google      = { source = "hashicorp/google", version = ">= 5.0" }
    google-beta = { source = "hashicorp/google-beta", version = ">= 5.0" }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

variable "project_id" {
  default = "acme-gke-prod"
}
variable "region" {
  default = "europe-west1"
}
variable "name" {
  default = "apps"
}
variable "master_authorized_networks" {
  default = [{ cidr_block = "10.0.0.0/8", display_name = "internal" }]
}
variable "node_pools" {
  type = map(object({
    machine_type = optional(string, "e2-standard-4")
    min_count    = optional(number, 1)
    max_count    = optional(number, 3)
    spot         = optional(bool, false)
    disk_size_gb = optional(number, 100)
    labels       = optional(map(string), {})
    taints       = optional(list(object({ key = string, value = string, effect = string })), [])
    zones        = optional(list(string))
  }))
  default = {
    default = {}
    batch   = { machine_type = "n2-highmem-8", spot = true, max_count = 20, taints = [{ key = "batch", value = "true", effect = "NO_SCHEDULE" }] }
    gpu     = { machine_type = "g2-standard-8", min_count = 0, zones = ["europe-west1-b"], labels = { accelerator = "l4" } }
  }
}

resource "google_service_account" "nodes" {
  account_id   = "gke-${var.name}-nodes"
  display_name = "GKE ${var.name} nodes"
}

resource "google_project_iam_member" "nodes" {
  for_each = toset([
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/artifactregistry.reader",
  ])
  project = var.project_id
  role    = each.value
  member  = google_service_account.nodes.member
}

resource "google_container_cluster" "primary" {
  provider = google-beta
  name     = var.name
  location = var.region

  remove_default_node_pool = true
  initial_node_count       = 1
  networking_mode          = "VPC_NATIVE"
  network                  = "projects/acme-net-prod/global/networks/shared-vpc"
  subnetwork               = "projects/acme-net-prod/regions/${var.region}/subnetworks/gke-eu"
  deletion_protection      = true

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.0/28"
  }

  dynamic "master_authorized_networks_config" {
    for_each = length(var.master_authorized_networks) > 0 ? [1] : []
    content {
      dynamic "cidr_blocks" {
        for_each = var.master_authorized_networks
        content {
          cidr_block   = cidr_blocks.value.cidr_block
          display_name = cidr_blocks.value.display_name
        }
      }
    }
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  release_channel {
    channel = "REGULAR"
  }

  addons_config {
    http_load_balancing {
      disabled = false
    }
    gce_persistent_disk_csi_driver_config {
      enabled = true
    }
  }

  maintenance_policy {
    recurring_window {
      start_time = "2024-01-01T02:00:00Z"
      end_time   = "2024-01-01T06:00:00Z"
      recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"
    }
  }
}

module "node_pool" {
  source   = "./modules/node-pool"
  for_each = var.node_pools

  name            = each.key
  cluster         = google_container_cluster.primary.name
  location        = var.region
  config          = each.value
  service_account = google_service_account.nodes.email
}

output "endpoint" {
  value     = google_container_cluster.primary.endpoint
  sensitive = true
}
output "node_pools" {
  value = { for k, p in module.node_pool : k => p.name }
}
