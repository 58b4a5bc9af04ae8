variable "prefix" {}
output "list" { value = [for i in range(3) : "${var.prefix}-${i}"] }
output "map" { value = { for i in range(2) : "k${i}" => "${var.prefix}${i}" } }
