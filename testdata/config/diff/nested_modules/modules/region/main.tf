variable "name" {
  type = string
}

variable "zones" {
  type = number
}

module "zone" {
  source = "../zone"
  count  = var.zones
  label  = "${var.name}-${count.index}"
}

resource "terraform_data" "region" {
  input = var.name
}
