"""Where the app keeps its data by default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "CCUS Attest"
HOME_ENV = "CCUS_ATTEST_HOME"  # overrides the data folder (tests, portable installs)


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_workspace() -> Path:
    return data_dir() / "workspaces" / "default"


def log_dir() -> Path:
    return data_dir() / "logs"
