# Expressions that fail on the value of a variable. With a sensitive variable no diagnostic
# may show the value; with a plain one the messages do (the test checks both).
variable "plain" {
  type = string
}

locals {
  map  = { a = 1 }
  list = ["a"]
}

resource "terraform_data" "errors" {
  input = {
    to_number   = tonumber(var.plain)
    plus        = var.plain + 1
    derived     = upper(var.plain) * 2
    not         = !var.plain
    negate      = -var.plain
    condition   = var.plain ? 1 : 2
    map_index   = local.map[var.plain]
    list_index  = local.list[var.plain]
    for_list    = [for x in [var.plain] : x * 2]
    for_dup     = { for x in [var.plain, var.plain] : x => 1 }
    format_d    = format("%d", var.plain)
    cidrsubnet  = cidrsubnet(var.plain, 8, 1)
    cidrhost    = cidrhost(var.plain, 1)
    jsondecode  = jsondecode(var.plain)
    regex       = regex("^x", var.plain)
    file        = file(var.plain)
    template    = templatefile("${path.module}/../t.tftpl", { v = var.plain })
    try_all     = try(tonumber(var.plain), local.map[var.plain])
    lookup      = lookup(local.map, var.plain)
    parseint    = parseint(var.plain, 10)
    base64      = base64decode(var.plain)
    wrapped     = tonumber(var.plain)
    timeadd     = timeadd(var.plain, "1h")
    formatdate  = formatdate("YYYY", var.plain)
    tobool      = tobool(var.plain)
    element     = element(local.list, var.plain)
    range       = range(var.plain)
  }
}
