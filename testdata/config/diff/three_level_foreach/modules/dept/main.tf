variable "name" {}
variable "teams" { type = map(list(string)) }
module "team" {
  source   = "./team"
  for_each = var.teams
  dept     = var.name
  name     = each.key
  people   = each.value
}
output "members" { value = flatten([for t in module.team : t.members]) }
