"""`python -m eventwire.cli` runs the command line."""
import sys

from eventwire.cli.main import main

sys.exit(main())
