variable "instances" {
  type = list(object({ name = string, zone = string, disks = optional(list(number), []) }))
  default = [
    { name = "web-1", zone = "a", disks = [10, 20] },
    { name = "web-2", zone = "b" },
  ]
}
resource "terraform_data" "vm" {
  for_each = { for i in var.instances : i.name => i }
  input    = { zone = each.value.zone, disk_total = sum(concat([0], each.value.disks)) }
}
resource "terraform_data" "disk" {
  for_each = merge([for i in var.instances : { for n, d in i.disks : "${i.name}-${n}" => d }]...)
  input    = each.value
}
