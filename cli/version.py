"""The app's version, read from the installed package's metadata (pyproject.toml is the one source).

The self-contained build copies that metadata into its folder (packaging/ccus-attest.spec),
so a frozen app reports the same version as the wheel it was built from.
"""

from __future__ import annotations

import argparse
import sys

DIST_NAME = "ccus-attest"


def app_version() -> str:
    # Imported here: importlib.metadata costs tens of milliseconds, paid only when asked.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DIST_NAME)
    except PackageNotFoundError:  # a bare checkout nobody installed
        return "unknown"


class VersionAction(argparse.Action):
    """``--version``: prints ``PROG VERSION`` and exits; the metadata is read only then."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help="show the version and exit"):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if sys.stdout is not None:  # a Windows gui-script has no console
            sys.stdout.write(f"{parser.prog} {app_version()}\n")
        parser.exit()
