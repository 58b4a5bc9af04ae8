# A template file with strip markers, rendered line by line as Terraform's scanner does.
resource "terraform_data" "t" {
  input = templatefile("${path.module}/hosts.tftpl", {
    hosts = { web = "10.0.0.1", db = "10.0.0.2" }
    extra = ["a", "b"]
  })
}
