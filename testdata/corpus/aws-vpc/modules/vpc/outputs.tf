output "vpc_id" {
  value = try(aws_vpc.this[0].id, null)
}
output "vpc_cidr_block" {
  value = try(aws_vpc.this[0].cidr_block, null)
}
output "public_subnets" {
  value = aws_subnet.public[*].id
}
output "private_subnets" {
  value = aws_subnet.private[*].id
}
output "database_subnet_group" {
  value = try(aws_db_subnet_group.database[0].id, null)
}
output "nat_public_ips" {
  value = aws_eip.nat[*].public_ip
}
output "private_route_table_ids" {
  value = aws_route_table.private[*].id
}
output "azs" {
  value = var.azs
}
