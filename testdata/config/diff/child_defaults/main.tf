module "a" {
  source  = "./child"
  name    = "explicit"
  size    = null
}

module "b" {
  source = "./child"
  name   = "other"
  label  = null
  size   = 7
  cfg    = { enabled = true }
}
