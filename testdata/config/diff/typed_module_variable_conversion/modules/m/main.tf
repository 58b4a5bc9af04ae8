variable "count_s" { type = number }
variable "flags" { type = list(bool) }
variable "tags" { type = map(string) }
resource "terraform_data" "t" {
  count = var.count_s
  input = { flags = var.flags, tags = var.tags }
}
output "out" { value = terraform_data.t[0].input }
