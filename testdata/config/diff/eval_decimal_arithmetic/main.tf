# CPU and memory sizing as container modules write it.
variable "cpu" {
  default = 0.25
}

variable "memory_mib" {
  default = 1536
}

locals {
  tasks = 3
}

resource "terraform_data" "sizing" {
  input = {
    total_cpu    = var.cpu * local.tasks
    memory_gib   = var.memory_mib / 1024
    tenth_plus   = tostring(0.1 + 0.2)
    tenth_times  = tostring(0.1 * 3)
    hundredth    = tostring(0.1 * 0.1)
    third        = tostring(1 / 3)
    two_thirds   = tostring(2 / 3)
    third_back   = 1 / 3 * 3
    ratio        = tostring(var.memory_mib / 7)
    percent      = "${var.cpu * 100}%"
    compare      = 0.1 + 0.2 == 0.3
    less         = 0.1 + 0.2 < 0.30000000000000001
  }
}
