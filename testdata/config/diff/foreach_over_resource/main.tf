resource "terraform_data" "bucket" {
  for_each = { logs = "eu", data = "us" }
  input    = { region = each.value, name = "acme-${each.key}" }
}
resource "terraform_data" "policy" {
  for_each = terraform_data.bucket
  input    = "${each.key}:${each.value.input.name}@${each.value.input.region}"
}
output "policies" {
  value = { for k, p in terraform_data.policy : k => p.input }
}
