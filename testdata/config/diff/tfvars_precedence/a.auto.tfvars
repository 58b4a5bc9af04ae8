from_auto_a = "a.auto"
from_auto_b = "a.auto"
from_var_file = "a.auto"
from_var = "a.auto"
