# range() adds its step with Terraform's precision.
resource "terraform_data" "t" {
  input = {
    quarters = range(0, 1, 0.25)
    thirds   = [for n in range(0, 1, 0.3) : tostring(n)]
    down     = range(10, 0, -3)
    count    = range(3)
    fraction = range(1.5, 4)
  }
}
