module "hash" {
  source = "./modules/hash"
  file   = "./assets/blob.bin"
}
resource "terraform_data" "h" {
  input = {
    md5    = filemd5("assets/blob.bin")
    sha256 = filesha256("./assets/blob.bin")
    b64    = filebase64("assets/blob.bin")
    exists = fileexists("assets/missing.bin")
  }
}
output "module_md5" { value = module.hash.md5 }
