module "inner" {
  source = "./inner"
}
resource "terraform_data" "outer" {
  input = { text = trimspace(file("${path.module}/outer.txt")), module = path.module, root = path.root }
}
output "all" { value = [terraform_data.outer.input.text, module.inner.text, module.inner.module] }
