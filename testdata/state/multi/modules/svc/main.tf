variable "name" {
  type = string
}

resource "terraform_data" "this" {
  input = upper(var.name)
}

resource "terraform_data" "jobs" {
  for_each = { daily = "0 3 * * *", "hourly-${var.name}" = "0 * * * *" }
  input    = each.value
}
