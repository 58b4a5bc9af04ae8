variable "index" { type = number }
module "node" {
  source = "./node"
  count  = var.index + 1
  name   = "t${var.index}-n${count.index}"
}
output "names" { value = module.node[*].name }
