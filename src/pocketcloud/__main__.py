"""`python -m pocketcloud` is the `pocketcloud` command."""

import sys

from pocketcloud.cli import main

sys.exit(main())
