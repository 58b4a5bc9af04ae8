# Spreading instances over zones and shards with %, floor and ceil.
variable "zones" {
  default = ["a", "b", "c"]
}

resource "terraform_data" "node" {
  count = 7
  input = {
    zone   = var.zones[count.index % length(var.zones)]
    shard  = floor(count.index / 2)
    half   = ceil(count.index / 2)
    rem    = count.index % 2.5
    neg    = (count.index - 3) % 3
    ratio  = tostring(count.index / length(var.zones))
  }
}
