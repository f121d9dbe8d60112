"""The self-contained app's entry point (packaging/ccus-attest.spec): one script, two programs.

``ccus-attest`` is the command line, exactly as the ``ccus-attest`` console script of the
wheel (no arguments: the desktop app). ``ccus-attest-gui`` is the desktop launcher, as the
wheel's gui-script: on Windows a separate executable without a console window, in the macOS
.app the bundle's executable, on Linux a symbolic link to ``ccus-attest``. The name the
program was started by picks which.
"""

import sys
from pathlib import Path


def program_name(argv0: str) -> str:
    name = Path(argv0).name.lower()
    return name[:-4] if name.endswith(".exe") else name


def main() -> int:
    if program_name(sys.argv[0] if sys.argv else "").endswith("-gui"):
        from desktop.launch import main as gui_main

        return gui_main()
    from cli.main import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
