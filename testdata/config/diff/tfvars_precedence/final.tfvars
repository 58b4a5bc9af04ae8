last_file = "final"
