"""Certificate numbers: sequential per municipality and disaster, never reused, never lost —
across processes and across a process killed mid-issue."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from survey_app.services.office import OfficeError
from survey_app.services.office_issuing import (
    allocate,
    issue_certificate,
    reissue_certificate,
    void_certificate,
)
from survey_app.services.office_printing import pending, print_pending
from survey_app.services.workspace import Workspace
from survey_app.store.certificates import CertificateRegister
from tests.conftest import REPO
from tests.office.office_data import apply, judged_building, many_judged, new_disaster


def numbers(ws, disaster) -> list[int]:
    return [e["number"] for e in CertificateRegister(ws.store).entries(disaster, limit=10_000)]


def test_numbers_are_sequential_and_survive_void_and_reissue(ws, disaster):
    apps = many_judged(ws, disaster, 3)
    first, second, third = (issue_certificate(ws, a).entry for a in apps)
    void_certificate(ws, second["id"], reason="誤交付")
    again = reissue_certificate(ws, third["id"], reason="紛失")
    after = issue_certificate(ws, apply(ws, disaster, applicant_name="別 世帯",
                                        household_address="輪島市鳳至町1-1",
                                        damaged_address="石川県輪島市河井町1丁目1番地"))
    assert [first["number"], second["number"], third["number"]] == [1, 2, 3]
    assert again.entry["number"] == 4 and again.entry["previous_id"] == third["id"]
    assert after.entry["number"] == 5
    register = CertificateRegister(ws.store)
    assert register.get(second["id"])["validity"] == "voided"
    assert register.get(third["id"])["validity"] == "superseded"
    assert register.numbering_report(disaster)[0]["missing"] == []


def test_numbering_is_per_municipality_and_disaster(ws, disaster):
    other = new_disaster(ws, code="172031", name="七尾市")
    [a] = many_judged(ws, disaster, 1)
    [b] = many_judged(ws, other, 1)
    assert issue_certificate(ws, a).entry["number"] == 1
    assert issue_certificate(ws, b).entry["number"] == 1
    assert issue_certificate(ws, b, kind="hisai").entry["number"] == 2


def test_a_second_first_issue_for_the_same_application_is_refused(ws, disaster):
    [app] = many_judged(ws, disaster, 1)
    issue_certificate(ws, app)
    with pytest.raises(OfficeError, match="既に交付"):
        issue_certificate(ws, app)
    assert numbers(ws, disaster) == [1]


def test_register_entries_cannot_be_deleted_or_rewritten(ws, disaster):
    [app] = many_judged(ws, disaster, 1)
    entry = issue_certificate(ws, app).entry
    db = ws.store.db
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM certificates WHERE id = ?", [entry["id"]])
    with pytest.raises(sqlite3.IntegrityError, match="cannot be rewritten"):
        db.execute("UPDATE certificates SET number = 99 WHERE id = ?", [entry["id"]])
    with pytest.raises(sqlite3.IntegrityError, match="cannot be rewritten"):
        db.execute("UPDATE certificates SET grade = '全壊' WHERE id = ?", [entry["id"]])


def test_the_register_records_who_when_and_which_survey_version(ws, disaster):
    _, survey_id = judged_building(ws, disaster, "輪島市河井町1-2-3", grade="zenkai")
    app = apply(ws, disaster, damaged_address="輪島市河井町1-2-3")
    entry = issue_certificate(ws, app, issued_on="2024-02-01").entry
    version = ws.store.surveys.versions(survey_id)[-1]
    assert entry["issued_by"] == "窓口 田中" and entry["issued_on"] == "2024-02-01"
    assert entry["issued_at"].endswith("Z")
    assert entry["survey_version_id"] == version["id"]
    assert entry["survey_content_hash"] == version["content_hash"]
    assert (entry["grade_code"], entry["grade"]) == ("zenkai", "全壊")
    actions = [r["action"] for r in ws.store.db.query(
        "SELECT action FROM audit_log WHERE entity LIKE 'certificate%' ORDER BY seq")]
    assert actions == ["issue", "print"]
    assert ws.store.audit.verify().ok


WORKER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from survey_app.services.workspace import Workspace
    from survey_app.services.office import OfficeError
    from survey_app.services.office_issuing import allocate
    home, go, ids = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
    ws = Workspace(Path(home), actor="worker-" + str(os.getpid()))
    (go.parent / f"ready-{os.getpid()}").touch()
    while not go.exists():
        time.sleep(0.001)
    got = []
    for app_id in ids:
        try:
            got.append(allocate(ws, app_id)["number"])
        except OfficeError:
            got.append(0)
    print(",".join(map(str, got)))
""")


def _spawn(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)


def test_two_processes_issuing_at_once_never_share_a_number(ws, disaster, tmp_path):
    apps = many_judged(ws, disaster, 50)
    own_a, own_b, shared = apps[:20], apps[20:40], apps[40:]
    go = tmp_path / "go"
    procs = [_spawn([WORKER, str(ws.home), str(go), ",".join(mine + shared)])
             for mine in (own_a, own_b)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # both have opened the store and wait at the barrier
    go.touch()
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append([int(n) for n in out.strip().split(",")])
    drawn = [n for out in outputs for n in out if n]
    assert len(drawn) == 50, "each application gets exactly one certificate"
    assert sorted(drawn) == list(range(1, 51)), "unique and contiguous"
    assert sum(1 for out in outputs for n in out[20:] if n == 0) == 10  # the losers of races
    per_app = ws.store.db.execute("SELECT application_id, count(*) FROM certificates"
                                  " GROUP BY application_id HAVING count(*) > 1").fetchall()
    assert per_app == []


CRASH_AFTER_ALLOCATION = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from survey_app.services.workspace import Workspace
    from survey_app.services.office_issuing import allocate
    ws = Workspace(Path(sys.argv[1]), actor="crashing clerk")
    allocate(ws, sys.argv[2])
    os.kill(os.getpid(), signal.SIGKILL)  # the power goes before the PDF is made
""")

CRASH_BEFORE_RENAME = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from survey_app.services.workspace import Workspace
    from survey_app.services.office_issuing import issue_certificate
    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    os.replace = killed  # dies with the PDF written to its temporary name only
    ws = Workspace(Path(sys.argv[1]), actor="crashing clerk")
    issue_certificate(ws, sys.argv[2])
""")


@pytest.mark.parametrize("script", [CRASH_AFTER_ALLOCATION, CRASH_BEFORE_RENAME],
                         ids=["after-allocation", "before-rename"])
def test_a_killed_issue_leaves_an_explained_reprintable_entry(ws, disaster, script):
    first, crashed, after = many_judged(ws, disaster, 3)
    issue_certificate(ws, first)
    proc = _spawn([script, str(ws.home), crashed])
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    fresh = Workspace(ws.home, actor="窓口 田中")
    [entry] = pending(fresh, disaster)
    assert entry["number"] == 2 and entry["application_id"] == crashed
    assert entry["issued_by"] == "crashing clerk" and entry["pdf_path"] is None
    folder = fresh.home / "certificates" / disaster
    assert not (folder / "172049-000002.pdf").exists()
    assert issue_certificate(fresh, after).entry["number"] == 3
    printed = print_pending(fresh, disaster)
    assert printed.printed == 1 and (folder / "172049-000002.pdf").exists()
    assert pending(fresh, disaster) == []
    assert numbers(fresh, disaster) == [1, 2, 3]
    assert CertificateRegister(fresh.store).numbering_report(disaster)[0]["missing"] == []
    assert fresh.store.audit.verify().ok
    fresh.close()


def test_a_refused_allocation_uses_no_number(ws, disaster):
    judged_building(ws, disaster, "輪島市河井町1-1", grade=None)
    unjudged = apply(ws, disaster, damaged_address="輪島市河井町1-1")
    with pytest.raises(OfficeError):
        allocate(ws, unjudged)
    [app] = many_judged(ws, disaster, 1, prefix="鳳至町")
    assert allocate(ws, app)["number"] == 1


def test_issue_for_a_survey_covers_every_household_of_the_home_once(ws, disaster):
    from survey_app.services.office_issuing import issue_for_survey

    _, survey = judged_building(ws, disaster, "輪島市河井町1-2-3", grade="zenkai")
    first = apply(ws, disaster, applicant_name="山田 一郎", damaged_address="輪島市河井町1-2-3")
    second = apply(ws, disaster, applicant_name="山田 二郎", household_address="輪島市河井町1-2-3",
                   damaged_address="同上")
    outcomes = issue_for_survey(ws, survey)
    assert [(o.entry["application_id"], o.entry["number"]) for o in outcomes] == [
        (first, 1), (second, 2)]
    with pytest.raises(OfficeError, match="既に交付"):
        issue_for_survey(ws, survey)
    third = apply(ws, disaster, applicant_name="佐藤 三郎", household_address="輪島市河井町1-2-3",
                  damaged_address="同上")
    assert [o.entry["application_id"] for o in issue_for_survey(ws, survey)] == [third]
