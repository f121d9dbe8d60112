"""PyInstaller run-time hook: programs the frozen app starts get the system's libraries back.

On Linux the bootloader points LD_LIBRARY_PATH at the app's folder so the bundled libraries
load first, and keeps the caller's value in LD_LIBRARY_PATH_ORIG. The app itself is loaded by
then (the dynamic loader reads the variable once, at start); what it starts later — fc-match
for the report font, update-mime-database for the desktop entry, xdg-open when Qt opens a
folder — must use the system's own libraries, as PyInstaller's documentation advises.
"""

import os
import sys

if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)
