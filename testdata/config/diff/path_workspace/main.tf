module "child" {
  source = "./modules/child"
}

resource "terraform_data" "p" {
  input = { module = path.module, root = path.root, ws = terraform.workspace }
}
