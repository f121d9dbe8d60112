"""CCUS Attest: `python main.py` starts the desktop app; `python main.py --help` lists commands."""

import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main())
