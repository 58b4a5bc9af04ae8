# Optional settings read defensively, as module authors do.
variable "settings" {
  default = {
    network = { cidr = "10.0.0.0/16" }
    tags    = { team = "data" }
    port    = "8080"
  }
}

resource "terraform_data" "t" {
  input = {
    cidr       = try(var.settings.network.cidr, "10.1.0.0/16")
    subnet     = try(var.settings.network.subnet, var.settings.network.cidr, "none")
    deep       = try(var.settings.a.b.c, var.settings.tags.team)
    port       = try(tonumber(var.settings.port), 80)
    bad_port   = try(tonumber(var.settings.tags.team), 80)
    can_cidr   = can(cidrhost(var.settings.network.cidr, 1))
    can_bad    = can(cidrhost("not-a-cidr", 1))
    can_regex  = can(regex("^[0-9]+$", var.settings.port))
    index_miss = try(var.settings.tags["owner"], "nobody")
    list_miss  = try(["a"][3], "out of range")
    nested     = try(try(var.settings.x, var.settings.y), "both missing")
    typed      = try(var.settings.tags.team + 1, "not a number")
  }
}
