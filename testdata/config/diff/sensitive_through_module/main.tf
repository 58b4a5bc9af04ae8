variable "password" {
  default   = "hunter2"
  sensitive = true
}
module "db" {
  source   = "./modules/db"
  password = var.password
  users    = ["app", "ro"]
}
output "users" { value = module.db.users }
output "dsn" {
  value     = module.db.dsn
  sensitive = true
}
