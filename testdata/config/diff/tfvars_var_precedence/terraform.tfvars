a = "tfvars"
b = "tfvars"
c = "tfvars"
list = ["t"]
