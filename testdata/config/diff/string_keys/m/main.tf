variable "key" {}

resource "terraform_data" "in" {
  count = 2
  input = "${var.key}#${count.index}"
}
