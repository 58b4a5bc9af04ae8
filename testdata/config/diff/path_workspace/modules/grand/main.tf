resource "terraform_data" "p" {
  input = path.module
}
