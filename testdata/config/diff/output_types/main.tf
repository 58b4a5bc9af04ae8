output "strings" {
  type  = list(string)
  value = [1, 2, true]
}
output "obj" {
  type  = object({ name = string, size = number, tags = optional(map(string), {}) })
  value = { name = "x", size = "3" }
}
resource "terraform_data" "t" { input = "t" }
