variable "project_id" {}
variable "network_name" {}
variable "subnets" {
  type = list(map(string))
}
variable "secondary_ranges" {
  type    = map(list(object({ range_name = string, ip_cidr_range = string })))
  default = {}
}

locals {
  subnets = {
    for x in var.subnets :
    "${x.subnet_region}/${x.subnet_name}" => x
  }
}

resource "google_compute_subnetwork" "subnetwork" {
  for_each                 = local.subnets
  name                     = each.value.subnet_name
  ip_cidr_range            = each.value.subnet_ip
  region                   = each.value.subnet_region
  private_ip_google_access = lookup(each.value, "subnet_private_access", "false")
  description              = lookup(each.value, "description", null)
  network                  = var.network_name
  project                  = var.project_id

  dynamic "log_config" {
    for_each = coalesce(lookup(each.value, "subnet_flow_logs", null), "false") == "true" ? [{
      aggregation_interval = lookup(each.value, "subnet_flow_logs_interval", "INTERVAL_5_SEC")
      flow_sampling        = lookup(each.value, "subnet_flow_logs_sampling", "0.5")
      metadata             = lookup(each.value, "subnet_flow_logs_metadata", "INCLUDE_ALL_METADATA")
    }] : []
    content {
      aggregation_interval = log_config.value.aggregation_interval
      flow_sampling        = log_config.value.flow_sampling
      metadata             = log_config.value.metadata
    }
  }

  secondary_ip_range = [
    for i in range(length(contains(keys(var.secondary_ranges), each.value.subnet_name) ? var.secondary_ranges[each.value.subnet_name] : [])) :
    var.secondary_ranges[each.value.subnet_name][i]
  ]
}

output "subnets" {
  value = { for k, s in google_compute_subnetwork.subnetwork : k => s.ip_cidr_range }
}
output "ids" {
  value = [for s in google_compute_subnetwork.subnetwork : s.id]
}
