locals {
  roles = {
    reader = { actions = ["s3:GetObject", "s3:ListBucket"], resources = ["arn:aws:s3:::data", "arn:aws:s3:::data/*"] }
    writer = { actions = ["s3:PutObject"], resources = ["arn:aws:s3:::data/*"] }
  }
}
resource "terraform_data" "policy" {
  for_each = local.roles
  input = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = each.value.actions, Resource = each.value.resources }]
  })
}
resource "terraform_data" "attachment" {
  for_each = { for pair in setproduct(keys(local.roles), ["app", "batch"]) : "${pair[0]}-${pair[1]}" => { role = pair[0], principal = pair[1] } }
  input    = "${each.value.principal} gets ${each.value.role}"
}
