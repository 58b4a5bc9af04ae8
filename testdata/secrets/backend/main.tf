terraform {
  backend "s3" {
    bucket     = "tf-state"
    key        = "app/terraform.tfstate"
    region     = "us-east-1"
    access_key = "AKIAEXAMPLEEXAMPLE00"
    secret_key = "TFRECON-MARKER-backend-secret-key"
  }
}
