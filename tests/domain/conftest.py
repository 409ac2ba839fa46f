"""Rule sets loaded once from the real forms/ files."""

from __future__ import annotations

import pytest

from survey_app.rules import Rulebook
from tests.domain.helpers import FORMS


@pytest.fixture(scope="session")
def book() -> Rulebook:
    return Rulebook.load(FORMS)


@pytest.fixture(scope="session")
def current(book):
    return book.get("2024-05")
