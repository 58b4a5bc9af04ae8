variable "name" {
  default = "web"
}

resource "terraform_data" "h" {
  input = {
    plain    = <<EOT
hello ${var.name}
  indented line
EOT
    indented = <<-EOT
      first ${var.name}
        second
      third
    EOT
    directive = <<EOT
%{ for i in [1, 2] ~}
item ${i}
%{ endfor ~}
done
EOT
    stripped_indented = <<-EOT
      %{~ for i in [1, 2] ~}
      item ${i}
      %{~ endfor ~}
    EOT
    half_stripped = <<-EOT
      %{ for i in [1, 2] ~}
      item ${i}
      %{ endfor ~}
    EOT
    indented_directive = <<-EOT
      %{ for i in [1, 2] }
      item ${i}
      %{ endfor }
    EOT
  }
}
