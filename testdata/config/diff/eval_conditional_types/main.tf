# A conditional's result takes the type both branches share.
variable "port" {
  default = 8080
}

variable "custom" {
  default = true
}

resource "terraform_data" "t" {
  input = {
    port_or_name = var.custom ? var.port : "default"
    flag_or_text = var.custom ? true : "no"
    name_or_num  = var.custom ? "x" : 1
    list         = var.custom ? [1, 2] : ["a"]
    map          = var.custom ? { a = 1 } : { b = "x" }
    null_other   = var.custom ? var.port : null
  }
}
