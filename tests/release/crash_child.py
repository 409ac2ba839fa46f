"""The workload test_crash.py kills: `python crash_child.py SCENARIO HOME RUN`.

It works in a loop until killed and prints one line to stdout AFTER each commit returns, so
every line the parent reads names something the store has promised to keep:

  draft <survey_id> <marker>            surveys: an autosaved draft
  version <survey_id> <marker> <vid>    surveys: a completed version
  photo <survey_id> <sha256>            photos: an original stored, recorded and attached
  cert <entry_id> <number> <pdf>        certificates: issued (numbered, printed, marked)

Markers grow across runs (RUN * 1,000,000 + n), so the parent can tell newer saves from older.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PIL import Image

from survey_app import paths
from survey_app.rules import default_rulebook
from survey_app.services.workspace import Workspace

EXAMPLE = "earthquake-wood-first.json"


def say(*parts: object) -> None:
    # One write per line: print() may write a line in pieces, and a kill between them would
    # leave half a line for the parent to misread.
    os.write(1, (" ".join(map(str, parts)) + "\n").encode())


def example_observations() -> dict:
    return json.loads((paths.forms_dir() / "examples" / EXAMPLE).read_text(encoding="utf-8"))


def surveys_loop(ws: Workspace, run: int) -> None:
    survey_ids = [r[0] for r in ws.store.db.execute("SELECT id FROM surveys ORDER BY id")]
    example = example_observations()
    judged = default_rulebook().judge(example).to_dict()
    judgement = {"grade_code": judged["grade_code"], "grade": judged["grade"],
                 "damage_ratio": judged["damage_ratio_percent"],
                 "rules_version": judged["rules_version"], "rules_hash": judged["rules_hash"],
                 "explanation": judged["explanation"]}
    marker = run * 1_000_000
    while True:
        marker += 1
        survey_id = survey_ids[marker % len(survey_ids)]
        observations = {**example, "remarks": f"crash {marker}"}
        if marker % 3 == 0:
            head = ws.store.surveys.get(survey_id)["head_version_id"]
            version_id = ws.store.surveys.complete(
                survey_id, observations=observations, judgement=judgement, author="crash",
                base_version_id=head)
            say("version", survey_id, marker, version_id)
        else:
            ws.store.surveys.save_draft(survey_id, observations)
            say("draft", survey_id, marker)


def photos_loop(ws: Workspace, run: int) -> None:
    from survey_app.services.fieldwork_photos import import_survey_photos

    survey_ids = [r[0] for r in ws.store.db.execute("SELECT id FROM surveys ORDER BY id")]
    source = ws.home.parent / f"camera-{run}"
    source.mkdir()
    n = 0
    while True:
        n += 1
        path = source / f"IMG_{n:04d}.JPG"
        # Random pixels: every photo is new bytes, so every import writes a new original.
        Image.frombytes("RGB", (320, 240), os.urandom(320 * 240 * 3)).save(path, quality=90)
        survey_id = survey_ids[n % len(survey_ids)]
        report = import_survey_photos(ws, survey_id, [path], tag="other")
        if report.failures:
            raise SystemExit(f"import failed: {report.failures[0].message}")
        for sha in report.added:
            say("photo", survey_id, sha)


def certificates_loop(ws: Workspace, run: int) -> None:
    from survey_app.services.office_issuing import issue_certificate, reissue_certificate
    from survey_app.services.office_printing import print_pending

    disaster_id = ws.store.buildings.disasters()[0]["id"]
    print_pending(ws, disaster_id)  # what the office app does on start: finish cut-off prints
    waiting = [r[0] for r in ws.store.db.execute(
        "SELECT a.id FROM applications a WHERE NOT EXISTS (SELECT 1 FROM certificates c"
        " WHERE c.application_id = a.id) ORDER BY a.application_no")]
    for i, application_id in enumerate(waiting):
        outcome = issue_certificate(ws, application_id)
        say("cert", outcome.entry["id"], outcome.entry["number"], outcome.pdf_path)
        if (i + run) % 4 == 0:
            again = reissue_certificate(ws, outcome.entry["id"], reason="紛失")
            say("cert", again.entry["id"], again.entry["number"], again.pdf_path)
    raise SystemExit("ran out of applications")


LOOPS = {"surveys": surveys_loop, "photos": photos_loop, "certificates": certificates_loop}


def main() -> None:
    scenario, home, run = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    ws = Workspace(home, actor="crash")
    LOOPS[scenario](ws, run)


if __name__ == "__main__":
    main()
