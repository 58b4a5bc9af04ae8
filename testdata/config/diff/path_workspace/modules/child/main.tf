module "grandchild" {
  source = "../grand"
}

resource "terraform_data" "p" {
  input = { module = path.module, root = path.root }
}
