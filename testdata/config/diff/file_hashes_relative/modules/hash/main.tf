variable "file" {}
resource "terraform_data" "h" { input = filemd5(var.file) }
output "md5" { value = terraform_data.h.input }
