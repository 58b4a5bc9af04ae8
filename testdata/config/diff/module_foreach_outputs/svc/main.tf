variable "name" {}
variable "port" {
  type = number
}

output "endpoint" {
  value = "${var.name}.internal:${var.port}"
}

output "port_str" {
  value = tostring(var.port)
}
