variant = "green"
