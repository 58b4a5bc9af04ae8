locals {
  name = "  My-Service_Name  "
}
resource "terraform_data" "s" {
  input = {
    trimmed = trimspace(local.name)
    lower   = lower(trimspace(local.name))
    slug    = replace(lower(trimspace(local.name)), "/[^a-z0-9]+/", "-")
    parts   = split("-", trimspace(local.name))
    starts  = startswith(trimspace(local.name), "My")
    padded  = format("%05d", 42)
    joined  = join("/", ["a", "b", "c"])
    sub     = substr("terraform", 0, 5)
    title   = title("hello world")
  }
}
