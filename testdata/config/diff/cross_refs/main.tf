resource "terraform_data" "base" {
  input = { name = "base", size = 4 }
}

resource "terraform_data" "derived" {
  count = terraform_data.base.input.size
  input = "${terraform_data.base.input.name}-${count.index}"
}

resource "terraform_data" "last" {
  input = length(terraform_data.derived)
}
