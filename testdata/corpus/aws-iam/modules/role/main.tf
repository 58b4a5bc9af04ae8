variable "name" {
  type = string
}
variable "trusted_services" {
  type    = list(string)
  default = []
}
variable "trusted_arns" {
  type    = list(string)
  default = []
}
variable "managed_policy_arns" {
  type    = list(string)
  default = []
}
variable "inline_policies" {
  type = map(object({
    actions   = list(string)
    resources = list(string)
    effect    = optional(string, "Allow")
  }))
  default = {}
}
variable "max_session_duration" {
  type    = number
  default = 3600
}
variable "tags" {
  type    = map(string)
  default = {}
}

data "aws_iam_policy_document" "assume" {
  dynamic "statement" {
    for_each = length(var.trusted_services) > 0 ? [1] : []
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "Service"
        identifiers = var.trusted_services
      }
    }
  }
  dynamic "statement" {
    for_each = length(var.trusted_arns) > 0 ? [1] : []
    content {
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals {
        type        = "AWS"
        identifiers = var.trusted_arns
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = var.max_session_duration
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each   = toset(var.managed_policy_arns)
  role       = aws_iam_role.this.name
  policy_arn = each.value
}

resource "aws_iam_role_policy" "inline" {
  for_each = var.inline_policies
  name     = each.key
  role     = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = each.value.effect
      Action   = each.value.actions
      Resource = each.value.resources
    }]
  })
}

output "arn" {
  value = aws_iam_role.this.arn
}
output "name" {
  value = aws_iam_role.this.name
}
