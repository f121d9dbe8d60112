"""Keeping Python's cycle collector from freezing the window (issue 10).

A full collection (the oldest generation) walks every object the process holds and keeps
the GIL meanwhile. With a workspace of 1,000 items open that is several hundred thousand
objects — the widgets' Python wrappers, the questionnaire, the assessment — and 100-300 ms
in which no event is handled, whichever thread triggered it: most often the worker, which
allocates quickly while it renders a report or parses a template (the window froze during
exports and integrity checks), sometimes an answer on the UI thread (a 250 ms answer among
40 ms ones).

Objects built to last as long as the window (its widgets, the open questionnaire) are
moved out of the collector's walks once built (``gc.freeze``: a list splice, no walk), so
a collection only walks what is newer. They are still freed as usual when their last
reference goes; only garbage in reference cycles among them waits, until it is handed back
and collected in one pass (``release``) when the workspace is locked or closed: when the
user is not typing.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Everything alive now counts as long-lived: out of the collector's walks."""
    gc.freeze()


def release() -> None:
    """Hand the long-lived objects back, collect what became garbage, settle the rest."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
