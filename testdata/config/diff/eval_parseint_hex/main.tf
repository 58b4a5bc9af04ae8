# parseint and hex formats.
resource "terraform_data" "t" {
  input = {
    hex      = parseint("ff", 16)
    binary   = parseint("1010", 2)
    big      = tostring(parseint("123456789012345678901234567890", 10))
    hex_big  = tostring(parseint("ffffffffffffffffffff", 16))
    scaled   = tostring(parseint("ff", 16) / 7)
    format_x = format("%x", 255)
    neg      = parseint("-7f", 16)
  }
}
