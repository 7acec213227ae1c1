"""`python -m partnerxl`: the same program as the `partnerxl` command (partnerxl.launch: Ctrl-C and the console
are settled before anything heavy is imported)."""

import sys

from partnerxl.launch import main

sys.exit(main())
