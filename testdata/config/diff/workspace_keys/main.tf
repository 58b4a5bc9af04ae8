locals {
  sizes = {
    default = 1
    staging = 2
    prod    = 3
  }
  size = lookup(local.sizes, terraform.workspace, 0)
}

resource "terraform_data" "node" {
  count = local.size
  input = "${terraform.workspace}-${count.index}"
}

resource "terraform_data" "only_staging" {
  for_each = terraform.workspace == "staging" ? toset(["a", "b"]) : toset([])
  input    = each.key
}
