variable "name" {
  type = string
}

variable "size" {
  type     = number
  default  = 2
  nullable = false
}

variable "label" {
  type    = string
  default = "dflt"
}

variable "cfg" {
  type = object({
    enabled = optional(bool, false)
    mode    = optional(string, "auto")
  })
  default = {}
}

resource "terraform_data" "r" {
  count = var.size
  input = { name = var.name, cfg = var.cfg, i = count.index, label = var.label }
}
