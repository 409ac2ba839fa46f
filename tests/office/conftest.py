from __future__ import annotations

import pytest

from survey_app.services.workspace import Workspace
from tests.office.office_data import new_disaster


@pytest.fixture
def ws(app_home):
    workspace = Workspace(app_home, actor="窓口 田中")
    yield workspace
    workspace.close()


@pytest.fixture
def disaster(ws) -> str:
    return new_disaster(ws)
