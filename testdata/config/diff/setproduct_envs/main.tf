locals {
  envs    = ["dev", "prod"]
  regions = ["eu", "us"]
  pairs   = setproduct(local.envs, local.regions)
}
resource "terraform_data" "pair" {
  for_each = { for p in local.pairs : "${p[0]}.${p[1]}" => { env = p[0], region = p[1] } }
  input    = "${each.value.env} in ${each.value.region}"
}
output "count" {
  value = length(local.pairs)
}
