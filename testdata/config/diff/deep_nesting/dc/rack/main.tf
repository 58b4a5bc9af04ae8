variable "name" {}

resource "terraform_data" "host" {
  count = 2
  input = "${var.name}/h${count.index}"
}

output "host" {
  value = terraform_data.host[0].input
}
