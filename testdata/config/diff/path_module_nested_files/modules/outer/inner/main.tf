resource "terraform_data" "inner" {
  input = trimspace(file("${path.module}/schemas/inner.txt"))
}
output "text" { value = terraform_data.inner.input }
output "module" { value = path.module }
