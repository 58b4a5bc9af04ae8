module "projects" {
  source = "./modules/factory"
}
output "ids" {
  value = module.projects.ids
}
