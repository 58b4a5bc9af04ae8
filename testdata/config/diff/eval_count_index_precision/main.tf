# count.index and length() are 64-bit integers in Terraform; their quotient keeps 64 bits.
locals {
  items = ["a", "b", "c"]
}

resource "terraform_data" "n" {
  count = 3
  input = {
    by_length = tostring(count.index / length(local.items))
    by_lit    = tostring(count.index / 3)
    lengths   = tostring(length([1, 2]) / length(local.items))
    scaled    = tostring(count.index * 0.1)
  }
}
