# Real Terraform writes the state the diff tests compare against: a sensitive variable marks
# input.password (and output.password) in sensitive_attributes.
variable "db_password" {
  type      = string
  sensitive = true
  default   = "hunter2-from-state"
}

resource "terraform_data" "db" {
  input = {
    user     = "bob"
    password = var.db_password
    labels   = { env = "prod", team = "data" }
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Sid = "Read", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" },
        { Sid = "List", Effect = "Allow", Action = ["s3:ListBucket"], Resource = "arn:aws:s3:::b" },
      ]
    })
  }
}
