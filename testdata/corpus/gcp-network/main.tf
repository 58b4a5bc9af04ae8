terraform {
  required_providers {
    google = { source = "hashicorp/google", version = ">= 5.0" }
  }
}

provider "google" {
  project = var.project_id
}

variable "project_id" {
  default = "acme-net-prod"
}
variable "network_name" {
  default = "shared-vpc"
}

locals {
  subnets = [
    { subnet_name = "gke-eu", subnet_ip = "10.0.0.0/20", subnet_region = "europe-west1", subnet_private_access = "true", subnet_flow_logs = "true" },
    { subnet_name = "gke-us", subnet_ip = "10.0.16.0/20", subnet_region = "us-central1" },
    { subnet_name = "data-eu", subnet_ip = "10.0.32.0/24", subnet_region = "europe-west1", description = "data workloads" },
  ]
  secondary_ranges = {
    gke-eu = [
      { range_name = "pods", ip_cidr_range = "10.100.0.0/16" },
      { range_name = "services", ip_cidr_range = "10.101.0.0/20" },
    ]
    gke-us = [{ range_name = "pods", ip_cidr_range = "10.102.0.0/16" }]
  }
  routes = [
    { name = "egress-internet", destination_range = "0.0.0.0/0", next_hop_internet = "true", tags = "egress-inet" },
    { name = "to-onprem", destination_range = "192.168.0.0/16", next_hop_ip = "10.0.32.2", priority = 900 },
  ]
}

resource "google_compute_network" "network" {
  name                                      = var.network_name
  auto_create_subnetworks                   = false
  routing_mode                              = "GLOBAL"
  project                                   = var.project_id
  delete_default_routes_on_create           = true
  network_firewall_policy_enforcement_order = "AFTER_CLASSIC_FIREWALL"
}

resource "google_compute_shared_vpc_host_project" "host" {
  project = var.project_id
}

module "subnets" {
  source           = "./modules/subnets"
  project_id       = var.project_id
  network_name     = google_compute_network.network.name
  subnets          = local.subnets
  secondary_ranges = local.secondary_ranges
}

resource "google_compute_route" "route" {
  for_each          = { for r in local.routes : r.name => r }
  project           = var.project_id
  network           = google_compute_network.network.name
  name              = each.key
  description       = lookup(each.value, "description", null)
  tags              = compact(split(",", lookup(each.value, "tags", "")))
  dest_range        = each.value.destination_range
  next_hop_gateway  = lookup(each.value, "next_hop_internet", "false") == "true" ? "default-internet-gateway" : null
  next_hop_ip       = lookup(each.value, "next_hop_ip", null)
  priority          = lookup(each.value, "priority", null)
}

module "firewall" {
  source       = "./modules/firewall"
  project_id   = var.project_id
  network_name = google_compute_network.network.name
  rules = [
    { name = "allow-iap-ssh", direction = "INGRESS", ranges = ["35.235.240.0/20"], allow = [{ protocol = "tcp", ports = ["22"] }] },
    { name = "allow-internal", direction = "INGRESS", ranges = ["10.0.0.0/8"], allow = [{ protocol = "tcp", ports = [] }, { protocol = "udp", ports = [] }, { protocol = "icmp", ports = [] }] },
    { name = "deny-egress-smtp", direction = "EGRESS", ranges = ["0.0.0.0/0"], deny = [{ protocol = "tcp", ports = ["25"] }], priority = 100 },
  ]
}

output "subnets" {
  value = module.subnets.subnets
}
output "network_self_link" {
  value = google_compute_network.network.self_link
}
