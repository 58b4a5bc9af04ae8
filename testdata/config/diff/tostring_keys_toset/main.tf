locals {
  ports = [80, 443, 80]
}
resource "terraform_data" "port" {
  for_each = toset([for p in local.ports : tostring(p)])
  input    = tonumber(each.key) * 2
}
output "ports" { value = sort(keys(terraform_data.port)) }
