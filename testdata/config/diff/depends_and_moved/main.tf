resource "terraform_data" "first" {
  input = "first"
}

module "later" {
  source     = "./later"
  depends_on = [terraform_data.first]
}

resource "terraform_data" "renamed" {
  input = "renamed"
}

moved {
  from = terraform_data.old_name
  to   = terraform_data.renamed
}

resource "terraform_data" "after" {
  input      = "after"
  depends_on = [module.later]
}
