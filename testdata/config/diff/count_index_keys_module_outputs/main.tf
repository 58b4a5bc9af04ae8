module "zone" {
  source = "./modules/zone"
  for_each = toset(["a", "b"])
  zone   = each.key
}
resource "terraform_data" "record" {
  for_each = { for z, m in module.zone : z => m.records }
  input    = length(each.value)
}
output "records" { value = { for z, m in module.zone : z => m.records } }
