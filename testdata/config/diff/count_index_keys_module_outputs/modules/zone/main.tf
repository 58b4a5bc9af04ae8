variable "zone" {}
resource "terraform_data" "r" {
  count = var.zone == "a" ? 2 : 1
  input = "${var.zone}${count.index}.example.com"
}
output "records" { value = terraform_data.r[*].input }
