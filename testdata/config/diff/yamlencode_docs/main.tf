locals {
  doc = {
    name  = "svc"
    ports = [80, 443]
    env   = { A = "1" }
  }
}
resource "terraform_data" "y" {
  input = yamlencode(local.doc)
}
resource "terraform_data" "back" {
  input = yamldecode(terraform_data.y.input)
}
