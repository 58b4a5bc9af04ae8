variable "service" {
  type = object({
    name     = string
    replicas = optional(number, 1)
    tags     = optional(map(string), {})
    owner    = optional(string)
  })
  default = { name = "api" }
}

variable "zones" {
  type    = set(string)
  default = ["b", "a", "b"]
}

variable "ports" {
  type    = list(number)
  default = ["80", 443]
}

variable "flags" {
  type    = map(bool)
  default = { a = "true", b = false }
}

variable "services" {
  type = map(object({
    size = optional(string, "small")
    port = number
  }))
  default = {
    web = { port = 80 }
    db  = { port = 5432, size = "large" }
  }
}

resource "terraform_data" "t" {
  input = {
    service = var.service
    zones   = var.zones
    ports   = var.ports
    flags   = var.flags
  }
}

resource "terraform_data" "svc" {
  for_each = var.services
  input    = "${each.key}:${each.value.size}:${each.value.port}"
}
