# Account IDs, 64-bit identifiers and numbers beyond 64 bits stay exact.
variable "account_id" {
  type    = number
  default = 123456789012
}

locals {
  big      = 12345678901234567890123
  snowflake = 1234567890123456789
}

resource "terraform_data" "ids" {
  input = {
    account      = var.account_id
    account_str  = tostring(var.account_id)
    arn          = "arn:aws:iam::${var.account_id}:root"
    big_times    = tostring(local.big * 10)
    big_plus     = tostring(local.big + 1)
    big_json     = jsonencode({ n = local.big })
    snowflake    = "${local.snowflake}"
    snowflake_p1 = tostring(local.snowflake + 1)
    huge         = tostring(1e40 + 1)
    equal        = local.big == 12345678901234567890123
    not_equal    = local.big == 12345678901234567890124
  }
}
