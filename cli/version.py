"""The app's version, read from the installed package's metadata (pyproject.toml is the one source).

The self-contained build copies that metadata into its folder (packaging/ccus-attest.spec),
so a frozen app reports the same version as the wheel it was built from.
"""

from __future__ import annotations

DIST_NAME = "ccus-attest"


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DIST_NAME)
    except PackageNotFoundError:  # a bare checkout nobody installed
        return "unknown"
