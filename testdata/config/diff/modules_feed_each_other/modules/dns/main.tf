variable "network_id" {}
resource "terraform_data" "zone" {
  input = "zone-for-${var.network_id}"
}
output "ip" { value = "10.0.0.53" }
output "zone" { value = terraform_data.zone.input }
