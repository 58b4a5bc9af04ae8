variable "secrets" {
  type = map(string)
  default = { db = "pw1", api = "pw2" }
  sensitive = true
}
variable "secret_names" {
  default = ["db", "api"]
}
resource "terraform_data" "secret" {
  for_each = toset(var.secret_names)
  input    = "holder-${each.key}"
  triggers_replace = [length(var.secrets[each.key])]
}
