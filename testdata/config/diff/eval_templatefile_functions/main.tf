# templatefile with functions inside the template: try, can, jsonencode, format, for.
resource "terraform_data" "rendered" {
  input = templatefile("${path.module}/templates/config.json.tftpl", {
    name   = "dev-api"
    port   = "8443"
    tags   = { env = "dev", team = "api" }
    hosts  = ["a", "b"]
    domain = "example.com"
    weight = 1
  })
}

resource "terraform_data" "decoded" {
  input = jsondecode(templatefile("${path.module}/templates/config.json.tftpl", {
    name   = "prod"
    port   = "x"
    tags   = {}
    hosts  = []
    domain = "example.org"
    weight = 12345678901234567890123
  }))
}
