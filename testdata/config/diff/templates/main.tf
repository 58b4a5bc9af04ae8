variable "items" {
  default = ["one", "two", "three"]
}

variable "flag" {
  default = true
}

resource "terraform_data" "t" {
  input = {
    loop   = "%{for i in var.items}[${i}]%{endfor}"
    strip  = "%{for i in var.items~} ${i} %{~endfor}"
    cond   = "%{if var.flag}yes%{else}no%{endif}!"
    keyed  = "%{for k, v in { a = 1, b = 2 }}${k}=${v};%{endfor}"
    nested = "%{for i in var.items}%{if i != "two"}${upper(i)} %{endif}%{endfor}"
    escape = "$${literal} %%{literal}"
    num    = "n=${1 + 2}"
  }
}
