# lookup, element and one as modules use them.
variable "sizes" {
  default = { small = 1, large = 4.5 }
}

resource "terraform_data" "t" {
  input = {
    size    = lookup(var.sizes, "large", 1)
    default = lookup(var.sizes, "huge", 0.5)
    wrap    = element(["a", "b", "c"], 4)
    one     = one(["only"])
    none    = one([])
    index   = index([0.1, 0.3], 0.1 * 3)
    contain = contains([12345678901234567890123], 12345678901234567890123)
  }
}
