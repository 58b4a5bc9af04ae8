variable "project_id" {}
variable "network_name" {}
variable "rules" {
  type = list(object({
    name      = string
    direction = string
    ranges    = list(string)
    priority  = optional(number, 1000)
    allow     = optional(list(object({ protocol = string, ports = list(string) })), [])
    deny      = optional(list(object({ protocol = string, ports = list(string) })), [])
    log       = optional(bool, false)
  }))
}

resource "google_compute_firewall" "rules" {
  for_each                = { for r in var.rules : r.name => r }
  name                    = each.key
  network                 = var.network_name
  project                 = var.project_id
  direction               = each.value.direction
  priority                = each.value.priority
  source_ranges           = each.value.direction == "INGRESS" ? each.value.ranges : null
  destination_ranges      = each.value.direction == "EGRESS" ? each.value.ranges : null

  dynamic "allow" {
    for_each = each.value.allow
    content {
      protocol = allow.value.protocol
      ports    = allow.value.ports
    }
  }

  dynamic "deny" {
    for_each = each.value.deny
    content {
      protocol = deny.value.protocol
      ports    = deny.value.ports
    }
  }

  dynamic "log_config" {
    for_each = each.value.log ? [1] : []
    content {
      metadata = "INCLUDE_ALL_METADATA"
    }
  }
}
