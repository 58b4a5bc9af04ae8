variable "zones" { type = list(string) }
variable "limits" { type = map(number) }
variable "name" { type = string }
resource "terraform_data" "z" {
  for_each = toset(var.zones)
  input    = "${var.name}-${each.key}-${lookup(var.limits, each.key, 0)}"
}
