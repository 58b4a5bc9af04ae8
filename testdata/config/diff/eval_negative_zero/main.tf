# Negative zero prints with its sign as a string and without it as a number.
resource "terraform_data" "t" {
  input = {
    str    = tostring(-0)
    num    = -0
    times  = 0 * -1
    json   = jsonencode(-0)
    floor  = floor(-0.5)
  }
}
