# for_each over the product of two sets, keyed by both elements.
variable "envs" {
  type    = set(string)
  default = ["prod", "dev"]
}

variable "regions" {
  type    = set(string)
  default = ["eu", "us"]
}

locals {
  pairs = setproduct(var.envs, var.regions)
  all   = setunion(var.envs, toset(["stage"]))
  both  = setintersection(var.envs, toset(["dev", "qa"]))
  rest  = setsubtract(var.envs, toset(["dev"]))
}

resource "terraform_data" "pair" {
  for_each = { for p in local.pairs : "${p[0]}-${p[1]}" => p }
  input    = each.value
}

resource "terraform_data" "sets" {
  input = {
    all  = local.all
    both = local.both
    rest = local.rest
    n    = length(local.pairs)
  }
}
