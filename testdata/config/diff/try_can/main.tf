variable "settings" {
  default = { a = "1" }
}

resource "terraform_data" "t" {
  input = {
    present = try(var.settings.a, "fallback")
    missing = try(var.settings["b"], "fallback")
    can_a   = can(var.settings["a"])
    can_b   = can(var.settings["b"])
    first   = try(var.settings.nope.deeper, var.settings.a)
  }
}
