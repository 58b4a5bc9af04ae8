terraform {
  required_providers {
    aws     = { source = "hashicorp/aws" }
    archive = { source = "hashicorp/archive" }
  }
}

locals {
  functions = {
    hello = { handler = "index.handler", runtime = "nodejs20.x", routes = ["GET /hello"], memory = 128 }
    orders = {
      handler = "app.handler"
      runtime = "python3.12"
      routes  = ["GET /orders", "POST /orders", "GET /orders/{id}"]
      memory  = 512
      env     = { TABLE = "orders" }
    }
  }
  routes = merge([
    for fn, f in local.functions : { for r in f.routes : r => fn }
  ]...)
}

data "archive_file" "fn" {
  for_each    = local.functions
  type        = "zip"
  source_dir  = "${path.module}/src/${each.key}"
  output_path = "${path.module}/build/${each.key}.zip"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  for_each           = local.functions
  name               = "lambda-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_lambda_function" "fn" {
  for_each         = local.functions
  function_name    = each.key
  role             = aws_iam_role.fn[each.key].arn
  handler          = each.value.handler
  runtime          = each.value.runtime
  memory_size      = each.value.memory
  filename         = data.archive_file.fn[each.key].output_path
  source_code_hash = data.archive_file.fn[each.key].output_base64sha256
  dynamic "environment" {
    for_each = length(try(each.value.env, {})) > 0 ? [each.value.env] : []
    content {
      variables = environment.value
    }
  }
  tracing_config {
    mode = "Active"
  }
}

resource "aws_apigatewayv2_api" "http" {
  name          = "api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "fn" {
  for_each               = aws_lambda_function.fn
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = each.value.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "route" {
  for_each  = local.routes
  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.fn[each.value].id}"
}

resource "aws_lambda_permission" "api" {
  for_each      = aws_lambda_function.fn
  statement_id  = "AllowAPIGateway"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

output "endpoint" {
  value = aws_apigatewayv2_stage.default.invoke_url
}
