# Totals and extremes over decimal and large numbers.
variable "costs" {
  default = [0.1, 0.2, 0.3, 19.99]
}

resource "terraform_data" "t" {
  input = {
    total     = tostring(sum(var.costs))
    max       = max(var.costs...)
    min       = min(var.costs...)
    big_max   = tostring(max(12345678901234567890123, 12345678901234567890124))
    big_sum   = tostring(sum([12345678901234567890123, 1]))
    abs_third = tostring(abs(-1 / 3))
    signum    = signum(-5)
  }
}
