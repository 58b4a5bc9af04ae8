# Strip markers in quoted strings and heredocs.
variable "items" {
  default = ["a", "b"]
}

resource "terraform_data" "t" {
  input = {
    quoted = "[ %{~ for i in var.items ~} ${i} %{~ endfor ~} ]"
    interp = "x  ${~ "y" ~}  z"
    heredoc = <<EOT
list:
%{ for i in var.items ~}
  - ${i}
%{ endfor ~}
end
EOT
    heredoc_left = <<EOT
a
  %{~ if true ~}
  b
  %{~ endif ~}
c
EOT
  }
}
