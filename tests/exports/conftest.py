from __future__ import annotations

import pytest

from survey_app.services.workspace import Workspace
from tests.exports.export_data import build


@pytest.fixture
def ws(app_home):
    workspace = Workspace(app_home, actor="テスト")
    yield workspace
    workspace.close()


@pytest.fixture
def data(ws, tmp_path) -> dict:
    return build(ws, tmp_path)
