variable "replicas" {
  type      = number
  default   = 2
  sensitive = true
}
resource "terraform_data" "r" {
  count = var.replicas
  input = "replica-${count.index}"
}
