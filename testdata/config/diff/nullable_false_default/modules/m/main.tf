variable "region" {
  default  = "europe-west1"
  nullable = false
}
variable "optional" {
  default = "kept-null"
}
resource "terraform_data" "r" { input = var.region }
output "region" { value = var.region }
output "optional" { value = var.optional == null ? "was null" : var.optional }
