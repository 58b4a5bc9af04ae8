locals {
  files    = fileset("${path.module}/data", "*.yaml")
  projects = { for f in local.files : trimsuffix(f, ".yaml") => yamldecode(file("${path.module}/data/${f}")) }
}
resource "terraform_data" "project" {
  for_each = local.projects
  input = {
    id       = "${each.key}-${each.value.env}"
    services = sort(each.value.services)
    labels   = try(each.value.labels, {})
  }
}
output "ids" {
  value = sort([for p in terraform_data.project : p.input.id])
}
