module "outer" {
  source = "./modules/outer"
}
resource "terraform_data" "root" {
  input = { text = trimspace(file("${path.module}/root.txt")), module = path.module }
}
output "outer" { value = module.outer.all }
