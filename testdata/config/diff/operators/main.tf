resource "terraform_data" "o" {
  input = {
    arith     = 1 + 2 * 3 - 4 / 2
    modulo    = 17 % 5
    neg       = -5 + 2
    frac      = 7 / 2
    strnum    = "5" + 5
    cmp       = [1 < 2, 2 <= 2, 3 > 4, 4 >= 5]
    eq        = [1 == 1, "a" == "a", 1 == "1", [1, 2] == [1, 2], { a = 1 } == { a = 1 }]
    logic     = [true && false, true || false, !true]
    paren     = (1 + 2) * 3
    precedence = 2 + 3 * 4 == 14 && 1 < 2
  }
}
