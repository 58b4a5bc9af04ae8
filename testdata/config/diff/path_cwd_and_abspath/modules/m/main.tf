output "paths" {
  value = { module = path.module, root = path.root, abs = abspath(path.module) == "${path.cwd}/modules/m" }
}
