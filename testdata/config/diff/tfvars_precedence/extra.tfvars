from_var_file = "extra"
from_var = "extra"
last_file = "extra"
