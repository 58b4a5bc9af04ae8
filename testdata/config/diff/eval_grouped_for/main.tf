# Grouping for expressions over lists and sets.
variable "instances" {
  default = [
    { name = "a", zone = "z1", size = 1.5 },
    { name = "b", zone = "z2", size = 2 },
    { name = "c", zone = "z1", size = 0.5 },
  ]
}

resource "terraform_data" "t" {
  input = {
    by_zone  = { for i in var.instances : i.zone => i.name... }
    sizes    = { for i in var.instances : i.zone => i.size... }
    set_keys = { for k, v in toset(["x", "y", "x"]) : k => v... }
    total    = { for z, sizes in { for i in var.instances : i.zone => i.size... } : z => sum(sizes) }
  }
}
