# From hashicorp/hcl, specsuite/tests/structure/blocks/single_unclosed.t at commit dd2b02fec976ab3c46f22b4d5ab0752ae3476fb6 (MPL-2.0).
diagnostics {
  error {
    from {
      line   = 1
      column = 3
      byte   = 2
    }
    to {
      line   = 1
      column = 4
      byte   = 3
    }
  }
}
