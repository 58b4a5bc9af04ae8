# A user_data script with directives inside a flush heredoc, de-indented as Terraform does.
variable "packages" {
  default = ["nginx", "jq"]
}

variable "enable_swap" {
  default = true
}

resource "terraform_data" "user_data" {
  input = {
    stripped = <<-EOT
      #!/bin/bash
      set -euo pipefail
      %{ for p in var.packages ~}
        apt-get install -y ${p}
      %{ endfor ~}
      echo done
    EOT
    plain = <<-EOT
        header
      %{ if var.enable_swap }
      fallocate -l 1G /swapfile
      %{ else }
      echo no swap
      %{ endif }
      footer
    EOT
    inline = <<-EOT
      %{ for p in var.packages }${p} %{ endfor }
        indented
    EOT
  }
}
