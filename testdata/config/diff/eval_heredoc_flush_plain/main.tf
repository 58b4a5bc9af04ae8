# Flush heredocs with interpolations at line starts, blank lines and deeper lines.
variable "name" {
  default = "web"
}

resource "terraform_data" "t" {
  input = {
    policy = <<-EOT
      {
        "Name": "${var.name}",

        "Deep": true
      }
    EOT
    interp_first = <<-EOT
    ${var.name}
      two
    EOT
    blank_spaces = "${<<-EOT
        a
      
        b
      EOT
    }"
  }
}
