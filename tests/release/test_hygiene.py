"""No hard-coded secrets in the repository, and no personal data in what the app logs."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import pytest

from survey_app.services.backup import create_backup
from survey_app.services.demo import build_demo
from survey_app.services.fieldwork_photos import import_survey_photos
from survey_app.services.office_issuing import issue_all_judged
from survey_app.services.support import create_support_bundle
from survey_app.services.workspace import Workspace
from tests.release.release_data import noise_jpeg

REPO = Path(__file__).resolve().parents[2]
# Built from pieces so that this file does not match its own patterns.
_KEY = "PRIVATE" + " KEY"
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*" + _KEY + "-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\."),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@'\"]+:[^\s/@'\"*]+@"),
}
# In shipped code (not tests, which log in to throw-away servers) a secret-looking name may
# not be given a literal value: it has to come from the user, the environment or a file.
ASSIGNED_SECRET = re.compile(
    r"""(?i)\b(password|passwd|secret|api_?key|access_?token|token)\s*[:=]\s*["'][^"'\s]{4,}["']""")
SHIPPED = ("survey_app/", "forms/", "build.spec", "dev", "pyproject.toml")


def repo_text_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.split("\n")
    out = []
    for name in filter(None, listed):
        path = REPO / name
        if path.is_file() and path.stat().st_size < 2_000_000 and b"\0" not in path.read_bytes():
            out.append(path)
    return out


def test_no_hard_coded_secrets():
    files = repo_text_files()
    assert len(files) > 100  # the listing works
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(REPO).as_posix()
        found += [f"{rel}: {label}" for label, rx in SECRET_PATTERNS.items() if rx.search(text)]
        if rel.startswith(SHIPPED) and path.suffix in (".py", ".spec", ".toml", "") \
                and rel != "pyproject.toml":
            found += [f"{rel}: {m.group(0)}" for m in ASSIGNED_SECRET.finditer(text)]
    assert found == []


def test_the_secret_patterns_catch_what_they_should():
    samples = {
        "private key": "-----BEGIN RSA " + _KEY + "-----",
        "AWS access key": "AKIA" + "ABCDEFGHIJKLMNOP",
        "password in a URL": "postgresql://survey:" + "hunter22@db.example.jp/survey",
    }
    for label, sample in samples.items():
        assert SECRET_PATTERNS[label].search(sample), label
    assert ASSIGNED_SECRET.search('password = "' + 'hunter22"')
    assert not SECRET_PATTERNS["password in a URL"].search("postgresql://survey:***@db/x")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        return [formatter.format(r) for r in self.records]


@pytest.fixture
def captured():
    root = logging.getLogger()
    handler, level = Capture(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def personal_data(ws: Workspace) -> set[str]:
    rows = ws.store.db.execute(
        "SELECT applicant_name, applicant_kana, household_address, damaged_address, contact"
        " FROM applications UNION ALL SELECT owner_name, owner_kana, address, '', ''"
        " FROM buildings").fetchall()
    return {v for row in rows for v in row if v and len(v) >= 2}


def test_logs_hold_no_personal_data(tmp_path, captured):
    """Demo data, then the day's operations, some failing, each logged at DEBUG and above."""
    ws = Workspace(tmp_path / "home", actor="調査員 佐藤")
    try:
        build_demo(ws, buildings=30, photo_homes=1, seed=5)
        disaster = ws.store.buildings.disasters()[0]["id"]
        survey = ws.store.db.execute("SELECT id FROM surveys LIMIT 1").fetchone()[0]
        broken = tmp_path / "broken.jpg"
        broken.write_bytes(b"\xff\xd8\xff\xe0 not really")
        import_survey_photos(ws, survey, [noise_jpeg(tmp_path / "a.jpg"), broken])
        issue_all_judged(ws, disaster, out=tmp_path / "certs.pdf")
        create_backup(ws.home, tmp_path / "backup.zip")
        create_support_bundle(ws.home, tmp_path / "support.zip")
        secrets = personal_data(ws)
    finally:
        ws.close()
    server_log = _sync_through_a_real_server(tmp_path, captured)
    assert len(secrets) > 40
    texts = captured.texts() + server_log.splitlines()
    assert "login failed" in server_log  # the failure paths ran and logged
    assert any(r.name.startswith("httpx") for r in captured.records)
    leaks = sorted({s for s in secrets for t in texts if s in t})
    assert leaks == []


def _sync_through_a_real_server(tmp_path: Path, captured: Capture) -> str:
    """A demo laptop pushes to the server (a child process, its log kept); a bad login too."""
    from tests.sync.fieldwork import Laptop, add_users
    from tests.sync.support import ServerProcess, new_tenant

    server = ServerProcess("sqlite", f"sqlite:///{tmp_path / 'server.db'}",
                           tmp_path / "server-data").start()
    try:
        tenant = new_tenant(server)
        add_users(tenant, {"office": "office"})
        laptop = Laptop(tmp_path / "laptops", tenant, "office")
        try:
            build_demo(laptop.ws, buildings=20, photo_homes=1, seed=6)
            report = laptop.sync()
            assert report.ok, report
            names = personal_data(laptop.ws)
            intruder = Laptop(tmp_path / "laptops", tenant, "intruder")
            try:  # someone types an applicant's name as the user name
                intruder.engine.username = sorted(names)[0]
                assert not intruder.sync().ok
            finally:
                intruder.close()
        finally:
            laptop.close()
    finally:
        server.stop()
    return server.log_text()
