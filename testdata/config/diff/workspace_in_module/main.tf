module "env" {
  source = "./modules/env"
}
resource "terraform_data" "root" {
  count = terraform.workspace == "staging" ? 2 : 1
  input = "${terraform.workspace}-${count.index}"
}
output "env" { value = module.env.name }
