variable "project" {}
variable "mode" {
  default = "additive"
  validation {
    condition     = contains(["additive", "authoritative"], var.mode)
    error_message = "mode must be additive or authoritative"
  }
}
variable "bindings" {
  type    = map(list(string))
  default = {}
}
variable "conditional_bindings" {
  type = list(object({
    role        = string
    title       = string
    description = optional(string)
    expression  = string
    members     = list(string)
  }))
  default = []
}

locals {
  additive = var.mode == "additive"
  pairs = flatten([
    for role, members in var.bindings : [for m in members : { role = role, member = m }]
  ])
  conditional_pairs = flatten([
    for b in var.conditional_bindings : [for m in b.members : merge(b, { member = m })]
  ])
}

resource "google_project_iam_member" "member" {
  for_each = local.additive ? { for p in local.pairs : "${p.role}-${p.member}" => p } : {}
  project  = var.project
  role     = each.value.role
  member   = each.value.member
}

resource "google_project_iam_binding" "binding" {
  for_each = local.additive ? {} : { for role, members in var.bindings : role => members if length(members) > 0 }
  project  = var.project
  role     = each.key
  members  = each.value
}

resource "google_project_iam_member" "conditional" {
  for_each = { for p in local.conditional_pairs : "${p.role}-${p.title}-${p.member}" => p }
  project  = var.project
  role     = each.value.role
  member   = each.value.member
  condition {
    title       = each.value.title
    description = each.value.description
    expression  = each.value.expression
  }
}

output "members" {
  value = sort(concat([for m in google_project_iam_member.member : "${m.role}=${m.member}"], keys(google_project_iam_member.conditional)))
}
