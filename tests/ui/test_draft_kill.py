"""A surveyor's laptop dies mid-edit: the process is killed with SIGKILL while it autosaves,
and reopening shows the survey as it was, minus at most the edit in flight."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from survey_app.services import fieldwork as fw
from survey_app.services.workspace import Workspace
from tests.ui.conftest import make_store

EDITOR = textwrap.dedent("""
    import sys
    from pathlib import Path
    from survey_app.services import fieldwork as fw
    from survey_app.services.workspace import Workspace

    ws = Workspace(Path(sys.argv[1]), actor="editor")
    session = fw.open_for_editing(ws, sys.argv[2])
    obs = dict(session.observations)
    i = 0
    while True:
        i += 1
        obs["remarks"] = f"編集 {i}"
        obs["components"] = {"roof": {"degrees": [{"degree": "III", "area_percent": i % 100}]}}
        fw.save_draft(ws, sys.argv[2], obs)
        print(i, flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_draft_survives_sigkill_mid_edit(app_home, tmp_path):
    info = make_store(app_home, homes=2)
    survey_id = info["surveys"][0]
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(app_home), survey_id],
                            stdout=subprocess.PIPE, text=True)
    last = 0
    try:
        while last < 40:
            line = proc.stdout.readline()
            assert line, "the editor stopped before it was killed"
            last = int(line)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    ws = Workspace(app_home)
    try:
        assert ws.store.integrity_ok()
        session = fw.open_for_editing(ws, survey_id)
        assert session.from_draft
        saved = int(session.observations["remarks"].split()[1])
        assert saved in (last, last + 1)  # the reported save, or the one in flight
        roof = session.observations["components"]["roof"]["degrees"][0]
        assert roof["area_percent"] == saved % 100
        assert ws.store.surveys.get(survey_id)["status"] == "draft"
    finally:
        ws.close()
