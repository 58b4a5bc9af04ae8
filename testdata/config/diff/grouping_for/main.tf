locals {
  users = [
    { name = "ann", team = "a" },
    { name = "bob", team = "b" },
    { name = "cid", team = "a" },
  ]
  by_team = { for u in local.users : u.team => u.name... }
}
resource "terraform_data" "team" {
  for_each = local.by_team
  input    = join(",", each.value)
}
output "by_team" { value = local.by_team }
