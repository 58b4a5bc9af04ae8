# Settings decoded from JSON and YAML keep every digit.
locals {
  json = jsondecode(file("${path.module}/settings.json"))
  yaml = yamldecode(file("${path.module}/settings.yaml"))
}

resource "terraform_data" "t" {
  input = {
    json_big   = tostring(local.json.id)
    json_rate  = tostring(local.json.rate + 0.2)
    json_ratio = tostring(local.json.ratio)
    yaml_big   = tostring(local.yaml.id)
    yaml_rate  = tostring(local.yaml.rate + 0.2)
    yaml_list  = [for n in local.yaml.sizes : n * 2]
    json_sum   = sum(local.json.parts)
  }
}
