resource "terraform_data" "kept" {
  input = "kept"
}
removed {
  from = terraform_data.gone
  lifecycle {
    destroy = false
  }
}
check "kept_is_set" {
  assert {
    condition     = terraform_data.kept.input == "kept"
    error_message = "unexpected"
  }
}
