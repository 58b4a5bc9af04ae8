# templatestring renders a template kept elsewhere (Terraform 1.9+).
variable "greeting_template" {
  default = "Hello, $${name}! You have $${length(items)} item$${length(items) == 1 ? \"\" : \"s\"}."
}

locals {
  templates = {
    url  = "https://$${host}:$${port}/$${join(\"/\", path)}"
    list = "%%{ for i in items ~}[$${i}]%%{ endfor ~}"
  }
  rows = ["row $${n}"]
}

resource "terraform_data" "t" {
  input = {
    greeting = templatestring(var.greeting_template, { name = "Ada", items = ["a", "b"] })
    url      = templatestring(local.templates.url, { host = "example.com", port = 443, path = ["v1", "x"] })
    list     = templatestring(local.templates["list"], { items = [1, 2, 3] })
    row      = templatestring(local.rows[0], { n = 1 / 4 })
  }
}
