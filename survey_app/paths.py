"""Where resources, rule files and user data live; the only module that knows about freezing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "survey-app"


def install_root() -> Path:
    """The folder holding `forms/` and `resources/`: the repo, or PyInstaller's bundle dir."""
    frozen_dir = getattr(sys, "_MEIPASS", None)
    if frozen_dir:
        return Path(frozen_dir)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    return Path(os.environ.get("SURVEY_APP_FORMS", install_root() / "forms"))


def resources_dir() -> Path:
    return install_root() / "resources"


def user_data_dir() -> Path:
    """The laptop's store: SURVEY_APP_HOME wins (tests, portable installs on a USB stick)."""
    override = os.environ.get("SURVEY_APP_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return user_data_dir() / "survey.db"


def default_blob_dir() -> Path:
    return user_data_dir() / "blobs"
