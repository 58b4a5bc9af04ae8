resource "terraform_data" "first" {
  input = "first"
}
module "after" {
  source     = "./modules/after"
  depends_on = [terraform_data.first]
  label      = "after"
}
resource "terraform_data" "last" {
  input      = module.after.label
  depends_on = [module.after]
}
