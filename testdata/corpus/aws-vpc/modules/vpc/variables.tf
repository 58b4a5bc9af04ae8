variable "create_vpc" {
  type    = bool
  default = true
}
variable "name" {
  type    = string
  default = ""
}
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}
variable "azs" {
  type    = list(string)
  default = []
}
variable "public_subnets" {
  type    = list(string)
  default = []
}
variable "private_subnets" {
  type    = list(string)
  default = []
}
variable "database_subnets" {
  type    = list(string)
  default = []
}
variable "create_database_subnet_group" {
  type    = bool
  default = true
}
variable "enable_nat_gateway" {
  type    = bool
  default = false
}
variable "single_nat_gateway" {
  type    = bool
  default = false
}
variable "one_nat_gateway_per_az" {
  type    = bool
  default = false
}
variable "enable_flow_log" {
  type    = bool
  default = false
}
variable "tags" {
  type    = map(string)
  default = {}
}
variable "public_subnet_tags" {
  type    = map(string)
  default = {}
}
variable "private_subnet_tags" {
  type    = map(string)
  default = {}
}
