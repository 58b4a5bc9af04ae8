variable "cidr" { default = "10.20.0.0/16" }
variable "azs" { default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
locals {
  public  = [for i, az in var.azs : cidrsubnet(var.cidr, 8, i)]
  private = [for i, az in var.azs : cidrsubnet(var.cidr, 8, i + 10)]
}
resource "terraform_data" "public" {
  count = length(var.azs)
  input = { az = var.azs[count.index], cidr = local.public[count.index], name = format("public-%s", element(var.azs, count.index)) }
}
resource "terraform_data" "private" {
  for_each = zipmap(var.azs, local.private)
  input    = { az = each.key, cidr = each.value }
}
output "public_cidrs" { value = terraform_data.public[*].input.cidr }
output "nat" { value = cidrhost(local.public[0], 5) }
