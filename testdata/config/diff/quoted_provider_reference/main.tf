resource "terraform_data" "q" {
  provider = "terraform"
  input    = "quoted"
}
