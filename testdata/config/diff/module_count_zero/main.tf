variable "create" {
  default = false
}

module "none" {
  source = "./m"
  count  = var.create ? 1 : 0
}

module "some" {
  source   = "./m"
  for_each = var.create ? toset([]) : toset(["only"])
}
