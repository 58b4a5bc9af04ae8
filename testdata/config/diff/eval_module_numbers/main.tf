# Numbers passed into and out of a module keep their precision.
module "sizing" {
  source = "./modules/sizing"
  total  = 10
  parts  = 3
}

resource "terraform_data" "t" {
  input = {
    each = tostring(module.sizing.each)
    big  = tostring(module.sizing.big)
    sum  = tostring(module.sizing.each * 3)
  }
}
