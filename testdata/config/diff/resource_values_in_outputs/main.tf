resource "terraform_data" "a" {
  input = { name = "a", size = 3 }
}
resource "terraform_data" "b" {
  input = "${terraform_data.a.input.name}-b"
  triggers_replace = [terraform_data.a.input.size]
}
output "b" { value = terraform_data.b.input }
output "a_id" { value = terraform_data.a.id }
output "a_output" { value = terraform_data.a.output }
output "ids" { value = [terraform_data.a.id, terraform_data.b.input] }
