variable "users" {
  default = {
    alice = { team = "infra", admin = true }
    bob   = { team = "data", admin = false }
    carol = { team = "infra", admin = false }
  }
}

locals {
  admins   = [for name, u in var.users : name if u.admin]
  by_team  = { for name, u in var.users : u.team => name... }
  indexed  = { for i, v in ["x", "y", "z"] : v => i }
  squares  = [for n in [1, 2, 3, 4] : n * n if n % 2 == 0]
  upper_ks = { for k, v in var.users : upper(k) => v.team }
}

resource "terraform_data" "f" {
  input = {
    admins   = local.admins
    by_team  = local.by_team
    indexed  = local.indexed
    squares  = local.squares
    upper_ks = local.upper_ks
  }
}

resource "terraform_data" "per_team" {
  for_each = local.by_team
  input    = join("+", each.value)
}
