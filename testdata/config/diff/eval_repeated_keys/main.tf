# An object constructor may repeat a key: the last one wins.
locals {
  defaults = {
    size = "small"
    size = "medium"
    zone = "a"
  }
}

resource "terraform_data" "t" {
  input = {
    obj    = { a = 1, b = 2, a = 3 }
    quoted = { "a" = 1, a = 2 }
    locals = local.defaults
  }
}
