import sys

from partnerxl.cli import main

sys.exit(main())
