module "db" {
  source = "./modules/db"
  name   = "orders"
}
resource "terraform_data" "conn" {
  input = "${module.db.instance.engine}://${module.db.instance.name}:${module.db.instance.port}"
}
output "instance" { value = module.db.instance }
output "users" { value = module.db.users }
