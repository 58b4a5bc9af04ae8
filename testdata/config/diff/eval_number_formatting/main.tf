# Numbers turned into strings by interpolation, format and tostring.
resource "terraform_data" "t" {
  input = {
    interp_frac = "${0.1 * 3}"
    interp_big  = "n=${12345678901234567890123}"
    small       = tostring(1e-7)
    exp         = tostring(123.456e3)
    fmt_d       = format("%d", 42)
    fmt_f       = format("%.2f", 1 / 3)
    fmt_v       = format("%v", 1 / 3)
    fmt_big     = format("%v", 12345678901234567890123)
    fmt_s       = format("%s", 2.5)
    list        = formatlist("%03d", [1, 20, 300])
    join        = join(",", [1.5, 2, 1e3])
  }
}
