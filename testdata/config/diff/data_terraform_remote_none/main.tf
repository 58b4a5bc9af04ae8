locals {
  env_config = {
    dev  = { size = 1 }
    prod = { size = 3 }
  }
  env = "prod"
}
resource "terraform_data" "node" {
  count = local.env_config[local.env].size
  input = "${local.env}-${count.index + 1}"
}
output "last" { value = terraform_data.node[length(terraform_data.node) - 1].input }
