variable "name" {}
variable "ports" { type = list(number) }
resource "terraform_data" "init" {
  input = templatefile("${path.module}/templates/init.sh.tftpl", { name = var.name, ports = var.ports })
}
output "script" { value = terraform_data.init.input }
