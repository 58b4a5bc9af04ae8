variable "default_tags" {
  default = { owner = "platform", env = "prod" }
}
variable "queues" {
  default = {
    orders   = { tags = { env = "prod-orders" } }
    invoices = {}
  }
}
resource "terraform_data" "queue" {
  for_each = var.queues
  input    = merge(var.default_tags, lookup(each.value, "tags", {}), { Name = each.key })
}
