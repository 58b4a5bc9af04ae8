variable "maybe" { default = null }
output "nothing" { value = var.maybe }
output "empty_list" { value = [] }
output "empty_map" { value = {} }
output "coalesced" { value = coalesce(var.maybe, "fallback") }
resource "terraform_data" "n" { input = var.maybe }
