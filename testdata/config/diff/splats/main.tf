resource "terraform_data" "a" {
  count = 3
  input = { id = "a${count.index}", nums = [count.index, count.index + 1] }
}

resource "terraform_data" "b" {
  for_each = { x = 1, y = 2 }
  input    = { v = each.value }
}

resource "terraform_data" "s" {
  input = {
    ids      = terraform_data.a[*].input.id
    full     = [for x in terraform_data.a : x.input.nums[1]]
    legacy   = terraform_data.a.*.input.id
    from_map = [for k, v in terraform_data.b : "${k}${v.input.v}"]
    single   = [{ q = 1 }][*].q
    nums     = terraform_data.a[*].input.nums
  }
}
