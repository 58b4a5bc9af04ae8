terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "buckets" {
  type = map(object({
    versioning      = optional(bool, true)
    force_destroy   = optional(bool, false)
    kms_key_arn     = optional(string)
    public_read     = optional(bool, false)
    lifecycle_rules = optional(list(object({
      id              = string
      prefix          = optional(string, "")
      expiration_days = optional(number)
      transitions = optional(list(object({
        days          = number
        storage_class = string
      })), [])
    })), [])
    cors = optional(list(object({
      allowed_methods = list(string)
      allowed_origins = list(string)
    })), [])
  }))
  default = {
    "acme-logs" = {
      lifecycle_rules = [
        { id = "expire", expiration_days = 90, transitions = [{ days = 30, storage_class = "STANDARD_IA" }, { days = 60, storage_class = "GLACIER" }] },
      ]
    }
    "acme-assets" = {
      public_read = true
      cors        = [{ allowed_methods = ["GET"], allowed_origins = ["https://acme.example"] }]
    }
    "acme-backups" = {
      versioning  = true
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/abcd"
      lifecycle_rules = [
        { id = "archive", prefix = "daily/", transitions = [{ days = 7, storage_class = "DEEP_ARCHIVE" }] },
      ]
    }
  }
}

resource "aws_s3_bucket" "this" {
  for_each      = var.buckets
  bucket        = each.key
  force_destroy = each.value.force_destroy
  tags          = { Name = each.key }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = { for k, b in var.buckets : k => b if b.versioning }
  bucket   = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = var.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = each.value.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = each.value.kms_key_arn
    }
    bucket_key_enabled = each.value.kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = { for k, b in var.buckets : k => b if length(b.lifecycle_rules) > 0 }
  bucket   = aws_s3_bucket.this[each.key].id

  dynamic "rule" {
    for_each = each.value.lifecycle_rules
    content {
      id     = rule.value.id
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      dynamic "expiration" {
        for_each = rule.value.expiration_days == null ? [] : [rule.value.expiration_days]
        content {
          days = expiration.value
        }
      }
      dynamic "transition" {
        for_each = rule.value.transitions
        content {
          days          = transition.value.days
          storage_class = transition.value.storage_class
        }
      }
    }
  }
}

resource "aws_s3_bucket_cors_configuration" "this" {
  for_each = { for k, b in var.buckets : k => b if length(b.cors) > 0 }
  bucket   = aws_s3_bucket.this[each.key].id
  dynamic "cors_rule" {
    for_each = each.value.cors
    content {
      allowed_methods = cors_rule.value.allowed_methods
      allowed_origins = cors_rule.value.allowed_origins
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = var.buckets
  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = !each.value.public_read
  block_public_policy     = !each.value.public_read
  ignore_public_acls      = !each.value.public_read
  restrict_public_buckets = !each.value.public_read
}

resource "aws_s3_bucket_policy" "public_read" {
  for_each = { for k, b in var.buckets : k => b if b.public_read }
  bucket   = aws_s3_bucket.this[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.this[each.key].arn}/*"
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.this]
}

output "bucket_arns" {
  value = { for k, b in aws_s3_bucket.this : k => b.arn }
}
