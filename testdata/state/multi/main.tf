# Real Terraform writes the states the backend tests read: modules with count and for_each,
# string keys that need quoting, a sensitive value, and a different shape per workspace.
variable "secret" {
  type      = string
  default   = "hunter2"
  sensitive = true
}

locals {
  size = terraform.workspace == "default" ? 3 : 1
  services = toset(terraform.workspace == "default" ? ["api", "quality-check", "say \"hi\"", "ünï"] : ["api"])
}

resource "terraform_data" "counted" {
  count = local.size
  input = { index = count.index, workspace = terraform.workspace }
}

resource "terraform_data" "single" {
  input = { password = var.secret, user = "app" }
}

module "svc" {
  source   = "./modules/svc"
  for_each = local.services
  name     = each.key
}

module "pair" {
  source = "./modules/svc"
  count  = 2
  name   = "pair-${count.index}"
}

output "password" {
  value     = var.secret
  sensitive = true
}
