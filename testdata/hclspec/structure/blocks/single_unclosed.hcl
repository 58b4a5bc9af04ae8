# From hashicorp/hcl, specsuite/tests/structure/blocks/single_unclosed.hcl at commit 1c60591634801651fad6c754fe635470b5f8c6f6 (MPL-2.0).
# Copyright (c) HashiCorp, Inc.
# SPDX-License-Identifier: MPL-2.0

a {
