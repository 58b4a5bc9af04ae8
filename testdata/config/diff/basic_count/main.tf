variable "n" {
  type    = number
  default = 3
}

resource "terraform_data" "a" {
  count = var.n
  input = { index = count.index, name = "a-${count.index}" }
}
