module "shard" {
  source = "./modules/shard"
  count  = 3
  index  = count.index
  total  = 3
}
output "ranges" { value = module.shard[*].range }
