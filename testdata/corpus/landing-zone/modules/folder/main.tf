variable "parent" {}
variable "name" {}
variable "iam" {
  type    = map(list(string))
  default = {}
}

locals {
  bindings = flatten([for role, members in var.iam : [for m in members : { role = role, member = m }]])
}

resource "google_folder" "folder" {
  parent              = var.parent
  display_name        = var.name
  deletion_protection = true
}

resource "google_folder_iam_member" "member" {
  for_each = { for b in local.bindings : "${b.role}-${b.member}" => b }
  folder   = google_folder.folder.name
  role     = each.value.role
  member   = each.value.member
}

output "id" {
  value = google_folder.folder.name
}
