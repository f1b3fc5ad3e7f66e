"""`python -m logclf ...` is the `logclf` command."""

import sys

from logclf.cli import main

sys.exit(main())
