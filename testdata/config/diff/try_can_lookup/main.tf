locals {
  settings = {
    a = { size = 10, tags = { env = "dev" } }
    b = { size = 20 }
  }
  sizes = { for k, v in local.settings : k => try(v.size, 0) }
  envs  = { for k, v in local.settings : k => try(v.tags.env, "none") }
  has   = { for k, v in local.settings : k => can(v.tags) }
  look  = lookup(local.settings.a.tags, "team", "platform")
}
resource "terraform_data" "x" {
  input = { sizes = local.sizes, envs = local.envs, has = local.has, look = local.look }
}
output "b_env" {
  value = local.envs["b"]
}
