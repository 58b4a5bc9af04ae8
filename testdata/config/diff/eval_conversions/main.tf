# Type conversions of mixed values.
resource "terraform_data" "t" {
  input = {
    map     = tomap({ a = 1, b = "x" })
    list    = tolist([1, "a", true])
    set     = toset([2, 1, 2])
    mixed   = toset(["1", 1])
    num     = tonumber("0.000000000000000000001") * 3
    bool    = tobool("true")
    str     = tostring(1e21)
    concat  = concat([1], ["a"])
  }
}
