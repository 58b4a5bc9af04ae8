variable "total" {
  type = number
}

variable "parts" {
  type = number
}

output "each" {
  value = var.total / var.parts
}

output "big" {
  value = var.total * 1000000000000000000000
}
