c = "file"
d = "file"
