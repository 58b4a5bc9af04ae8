locals {
  nums  = [5, 3, 9, 3, 1]
  words = ["pear", "apple", "fig", "apple"]
}
resource "terraform_data" "f" {
  input = {
    distinct = distinct(local.words)
    sorted   = sort(local.words)
    rev      = reverse(local.nums)
    slice    = slice(local.words, 1, 3)
    chunks   = chunklist(local.nums, 2)
    index    = index(local.words, "fig")
    elem     = element(local.words, 5)
    max      = max(local.nums...)
    concat   = concat(local.words, ["kiwi"])
    contains = contains(local.nums, 9)
  }
}
