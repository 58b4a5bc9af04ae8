locals {
  names = ["a", "b"]
}
resource "terraform_data" "item" {
  for_each = toset(local.names)
  input    = upper(each.key)
}
moved {
  from = terraform_data.item_old[0]
  to   = terraform_data.item["a"]
}
moved {
  from = terraform_data.item_old[1]
  to   = terraform_data.item["b"]
}
