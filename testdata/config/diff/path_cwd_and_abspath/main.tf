module "m" {
  source = "./modules/m"
}
resource "terraform_data" "p" {
  input = {
    cwd_is_abs = startswith(path.cwd, "/")
    abs_ok     = abspath("x.txt") == "${path.cwd}/x.txt"
    module     = module.m.paths
  }
}
