# Expressions that fail on the value of a variable. With a sensitive variable no diagnostic
# may show the value; with a plain one the messages do (the test checks both).
variable "secret" {
  type      = string
  sensitive = true
}

variable "plain" {
  type = string
}

locals {
  map  = { a = 1 }
  list = ["a"]
}

resource "terraform_data" "errors" {
  input = {
    to_number   = tonumber(var.secret)
    plus        = var.secret + 1
    derived     = upper(var.secret) * 2
    not         = !var.secret
    negate      = -var.secret
    condition   = var.secret ? 1 : 2
    map_index   = local.map[var.secret]
    list_index  = local.list[var.secret]
    for_list    = [for x in [var.secret] : x * 2]
    for_dup     = { for x in [var.secret, var.secret] : x => 1 }
    format_d    = format("%d", var.secret)
    cidrsubnet  = cidrsubnet(var.secret, 8, 1)
    cidrhost    = cidrhost(var.secret, 1)
    jsondecode  = jsondecode(var.secret)
    regex       = regex("^x", var.secret)
    file        = file(var.secret)
    template    = templatefile("${path.module}/../t.tftpl", { v = var.secret })
    try_all     = try(tonumber(var.secret), local.map[var.secret])
    lookup      = lookup(local.map, var.secret)
    parseint    = parseint(var.secret, 10)
    base64      = base64decode(var.secret)
    wrapped     = tonumber(sensitive(var.plain))
    timeadd     = timeadd(var.secret, "1h")
    formatdate  = formatdate("YYYY", var.secret)
    tobool      = tobool(var.secret)
    element     = element(local.list, var.secret)
    range       = range(var.secret)
  }
}
