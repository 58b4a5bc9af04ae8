# Object keys computed from expressions, numbers included.
variable "prefix" {
  default = "app"
}

resource "terraform_data" "t" {
  input = {
    (var.prefix)                = 1
    "${var.prefix}-x"           = 2
    (12345678901234567890123)   = "big"
    (0.5)                       = "half"
    (1 / 4)                     = "quarter"
  }
}
