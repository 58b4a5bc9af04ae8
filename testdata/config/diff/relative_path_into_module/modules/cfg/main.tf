variable "config" {}
variable "template" {}
locals {
  cfg = jsondecode(file(var.config))
}
resource "terraform_data" "c" {
  input = templatefile(var.template, { name = local.cfg.name })
}
output "port" { value = local.cfg.port }
output "motd" { value = terraform_data.c.input }
