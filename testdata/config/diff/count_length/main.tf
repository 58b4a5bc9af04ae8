locals {
  disks = ["a", "b", "c", "d"]
}

resource "terraform_data" "disk" {
  count = length(local.disks)
  input = { name = local.disks[count.index], last = count.index == length(local.disks) - 1 }
}
