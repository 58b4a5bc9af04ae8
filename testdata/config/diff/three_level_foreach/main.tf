locals {
  org = {
    eng = { teams = { api = ["alice", "bob"], web = ["carol"] } }
    ops = { teams = { sre = ["dan"] } }
  }
}
module "dept" {
  source   = "./modules/dept"
  for_each = local.org
  name     = each.key
  teams    = each.value.teams
}
output "members" { value = { for k, d in module.dept : k => d.members } }
