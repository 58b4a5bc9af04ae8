variable "label" {}

resource "terraform_data" "zone" {
  for_each = toset(["x", "y"])
  input    = "${var.label}/${each.key}"
}
