locals {
  policies = { for f in fileset(path.module, "policies/*.json") : basename(f) => jsondecode(file("${path.module}/${f}")) }
}
resource "terraform_data" "policy" {
  for_each = local.policies
  input    = jsonencode(each.value)
}
output "statements" {
  value = { for k, v in local.policies : k => length(v.Statement) }
}
