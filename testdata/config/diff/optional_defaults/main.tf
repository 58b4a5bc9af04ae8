variable "buckets" {
  type = map(object({
    versioning = optional(bool, true)
    class      = optional(string, "STANDARD")
    labels     = optional(map(string), {})
    lifecycle = optional(object({
      age    = optional(number, 30)
      action = optional(string, "Delete")
    }), {})
  }))
  default = {
    logs = { class = "NEARLINE" }
    data = { versioning = false, labels = { team = "x" }, lifecycle = { age = 90 } }
  }
}
resource "terraform_data" "bucket" {
  for_each = var.buckets
  input    = each.value
}
output "classes" {
  value = { for k, b in var.buckets : k => b.class }
}
