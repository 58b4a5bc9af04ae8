variable "name" {}
variable "dns_ip" {}
resource "terraform_data" "net" {
  input = { name = var.name, dns = var.dns_ip }
}
output "id" { value = "net-${var.name}" }
output "dns" { value = terraform_data.net.input.dns }
