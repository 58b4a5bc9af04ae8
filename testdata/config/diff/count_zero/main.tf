variable "enabled" {
  default = false
}

resource "terraform_data" "off" {
  count = var.enabled ? 1 : 0
  input = "never"
}

resource "terraform_data" "zero" {
  count = 0
  input = "never"
}

resource "terraform_data" "on" {
  count = var.enabled ? 0 : 2
  input = count.index * 10
}
