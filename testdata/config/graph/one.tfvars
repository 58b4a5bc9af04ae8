functions = ["only"]
