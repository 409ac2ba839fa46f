"""Shared fixtures. Qt runs offscreen; WebEngine needs --no-sandbox when tests run as root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge properties, not speed: on a busy 2-core machine generating examples can
# be slow for reasons of its own (seen: a merge property failing CI on "too slow").
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("SURVEY_APP_LANG", "ja")

REPO = Path(__file__).resolve().parent.parent
SHARED_TESTDATA = REPO.parent / "shared" / "testdata"


@pytest.fixture
def app_home(tmp_path, monkeypatch) -> Path:
    """A private SURVEY_APP_HOME so no test touches a real user's store."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SURVEY_APP_HOME", str(home))
    return home


@pytest.fixture
def exif_samples() -> Path:
    """The real camera files of ../shared/testdata/exif (always present in CI)."""
    path = SHARED_TESTDATA / "exif"
    if not path.is_dir():
        pytest.skip("../shared/testdata/exif is not present on this machine")
    return path


@pytest.fixture(autouse=True)
def _language_as_it_was():
    """Every test leaves the app's language as it found it. set_language only stacks choices,
    so a test "setting back" the old one would pin it, and SURVEY_APP_LANG, which later tests
    set, would no longer count."""
    from survey_app import i18n

    before = list(i18n._current)
    yield
    i18n._current[:] = before


@pytest.fixture
def english():
    """The app in English for one test."""
    from survey_app.i18n import set_language

    set_language("en")
