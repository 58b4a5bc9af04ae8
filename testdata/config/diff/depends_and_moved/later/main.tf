resource "terraform_data" "inner" {
  count = 2
  input = count.index
}
