variable "name" { type = string }
variable "port" { type = number }
variable "replicas" { type = number }
resource "terraform_data" "replica" {
  count = var.replicas
  input = "${var.name}-${count.index}:${var.port}"
}
output "endpoint" { value = "${var.name}.svc:${var.port}" }
output "replicas" { value = length(terraform_data.replica) }
