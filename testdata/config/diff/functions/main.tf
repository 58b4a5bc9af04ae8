variable "m" {
  default = { zeta = "z", alpha = "a", mid = "m" }
}

resource "terraform_data" "fn" {
  input = {
    keys    = keys(var.m)
    values  = values(var.m)
    lookup  = lookup(var.m, "alpha", "none")
    dflt    = lookup(var.m, "nope", "none")
    fmt     = format("%s-%d-%s", "x", 42, upper("y"))
    merged  = merge(var.m, { alpha = "A", new = "n" })
    tolist  = tolist(["b", "a"])
    tostr   = tostring(5)
    tonum   = tonumber("12")
    spread  = concat([["a"], keys(var.m)]...)
  }
}
