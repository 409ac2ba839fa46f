"""Hypothesis-made 家屋課税台帳 / 住民基本台帳 extracts for `import_register`.

Files are written the many ways municipal systems write them: UTF-8, UTF-8 with BOM or
Shift_JIS (cp932); headers in any order, spelled with any of the mapping's aliases (with stray
spaces or another case); optional columns left out, unknown columns added; quoted fields with
commas, quotes and line breaks; full-width digits; dates in 和暦 and 西暦; blank lines. Rows are
valid or broken in a known way (bad 和暦/西暦 date, unreadable or absurd number, empty required
field, wrong column count, NUL byte, a repeat of an earlier row).

- A generated file imports exactly its valid rows, reports exactly its broken ones by line with
  a Japanese reason, and importing it again changes nothing.
- Mangled bytes (random bytes, NULs, truncation, a field over the CSV limit, arbitrary binary,
  Excel and UTF-16 files, empty files, a header alone) give either a report or the import's own
  RegisterFileError in Japanese, never another exception; an import that fails or changes
  nothing leaves the store exactly as it was (every table's rows hashed).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_app.services.registers import RegisterFileError, import_register
from survey_app.services.workspace import Workspace
from tests.release.register_extracts import FIELD_ADDRESS, register_files

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# -- the store ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, str, str]:
    """A store with a disaster and one home entered in the field (with its survey)."""
    home = tmp_path_factory.mktemp("import-template") / "home"
    ws = Workspace(home, actor="setup")
    try:
        did = ws.store.buildings.create_disaster(name="令和6年能登半島地震", hazard="earthquake",
                                                 occurred_on="2024-01-01", actor="setup")
        bid = ws.store.buildings.add(disaster_id=did, address=FIELD_ADDRESS, actor="setup")
        ws.store.surveys.create(building_id=bid, stage="first", hazard="earthquake",
                                surveyor="調査員", actor="setup")
    finally:
        ws.close()
    return home, did, bid


@contextlib.contextmanager
def fresh_store(template: tuple[Path, str, str]):
    """A copy of the template store for one example (a remembered mapping must not leak)."""
    work = Path(tempfile.mkdtemp(dir=template[0].parent))
    shutil.copytree(template[0], work / "home")
    ws = Workspace(work / "home", actor="取込担当")
    try:
        yield ws, work
    finally:
        ws.close()
        shutil.rmtree(work)


def store_digest(ws: Workspace) -> dict[str, str]:
    """Every table's rows, hashed in a stable order: any change shows."""
    db = ws.store.db
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    out = {}
    for table in tables:
        rows = sorted(repr(r) for r in db.execute(f'SELECT * FROM "{table}"'))
        out[table] = f"{len(rows)}:" + hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def stored_rows(ws: Workspace, kind: str, disaster_id: str) -> list[tuple]:
    if kind == "buildings":
        sql = ("SELECT b.address, b.owner_name, b.owner_kana, b.area, b.structure, b.floors,"
               " b.lat, b.lon, b.location_source, r.natural_key, r.kaoku_no, r.use_class,"
               " r.floor_area FROM register_buildings r JOIN buildings b ON b.id = r.building_id"
               " WHERE r.disaster_id = ?")
    else:
        sql = ("SELECT natural_key, household_no, name, kana, birth_date, sex, relation,"
               " address, building_id FROM register_residents WHERE disaster_id = ?")
    return sorted(tuple(r) for r in ws.store.db.execute(sql, [disaster_id]))


def import_cleanly(ws: Workspace, kind: str, path: Path, disaster_id: str):
    """import_register's report, or its RegisterFileError in Japanese with the store as it was
    (returns None then); any other exception fails the test."""
    before = store_digest(ws)
    try:
        report = import_register(ws, kind, path, disaster_id=disaster_id)
    except RegisterFileError as err:
        assert JAPANESE.search(str(err)) and "Traceback" not in str(err), str(err)
        assert store_digest(ws) == before
        return None
    for bad in report.bad:
        assert bad.line >= 2 and bad.reasons and all(JAPANESE.search(r) for r in bad.reasons)
    if not report.changed:
        assert store_digest(ws) == before, "an import that changed nothing wrote something"
    assert report.added + report.updated + report.unchanged + len(report.bad) <= \
        report.rows_read
    return report


def reimport_changes_nothing(ws: Workspace, kind: str, path: Path, disaster_id: str) -> None:
    before = store_digest(ws)
    again = import_cleanly(ws, kind, path, disaster_id)
    assert again is None or (again.added, again.updated, again.linked) == (0, 0, 0)
    assert store_digest(ws) == before


# -- the tests ---------------------------------------------------------------------------------

@FUZZ
@given(st.data())
def test_generated_extracts_import_exactly_their_valid_rows(template, data):
    sample = data.draw(register_files(template[2]))
    with fresh_store(template) as (ws, work):
        path = sample.write(work)
        report = import_cleanly(ws, sample.kind, path, template[1])
        assert report is not None
        assert report.rows_read == sample.records
        assert [b.line for b in report.bad] == [line for line, _ in sample.bad]
        for (line, reason), bad in zip(sample.bad, report.bad, strict=True):
            assert reason in bad.reasons[0], (line, reason, bad.reasons)
        assert (report.added, report.updated) == (len(sample.valid), 0)
        assert stored_rows(ws, sample.kind, template[1]) == sorted(sample.valid)
        assert ws.store.buildings.count(template[1]) == 1 + len(sample.valid) * (
            sample.kind == "buildings")
        reimport_changes_nothing(ws, sample.kind, path, template[1])
        assert ws.store.audit.verify().ok and ws.store.integrity_ok()


def mangle(data: bytes, how: str, where: float, junk: bytes) -> bytes:
    at = int(len(data) * where)
    return {"insert": data[:at] + junk + data[at:], "nul": data[:at] + b"\x00" + data[at:],
            "cut": data[:at], "overwrite": data[:at] + junk + data[at + len(junk):],
            "long": data[:at] + b"x" * 140_000 + data[at:], "binary": junk * 8}[how]


@FUZZ
@given(st.data())
def test_mangled_extracts_import_or_fail_cleanly(template, data):
    sample = data.draw(register_files(template[2]))
    content = sample.text.encode(sample.encoding)
    for _ in range(data.draw(st.integers(1, 3))):
        content = mangle(content, data.draw(st.sampled_from(
            ["insert", "nul", "cut", "overwrite", "long", "binary"])),
            data.draw(st.floats(0, 1)), data.draw(st.binary(min_size=1, max_size=12)))
    with fresh_store(template) as (ws, work):
        path = work / "mangled.csv"
        path.write_bytes(content)
        report = import_cleanly(ws, sample.kind, path, template[1])
        if report is not None:
            assert not ws.store.db.execute("SELECT count(*) FROM buildings WHERE instr(address,"
                                           " char(0)) > 0").fetchone()[0]
        reimport_changes_nothing(ws, sample.kind, path, template[1])
        assert ws.store.audit.verify().ok and ws.store.integrity_ok()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["家屋番号", "所在地", "所有者氏名"])
    book.active.append(["00001", "輪島市河井町1番", "山田太郎"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = "家屋番号,所在地,所有者氏名\r\n00001,輪島市河井町1番,山田太郎\r\n"


UNUSABLE = {
    "empty": b"", "bom only": b"\xef\xbb\xbf", "blank lines": b"\r\n\r\n  \r\n",
    "header only": "所在地,所有者氏名\r\n".encode("cp932"),
    "no address column": "家屋番号,所有者氏名\r\n1,山田\r\n".encode(),
    "excel workbook": xlsx_bytes(), "utf-16": GOOD.encode("utf-16"),
    "utf-16 without bom": GOOD.encode("utf-16-le"), "nul bytes": b"\x00" * 64,
    "field over the csv limit": (GOOD + "2,輪島市" + "長" * 140_000 + ",x\r\n").encode(),
    "cut inside quotes": (GOOD + '2,"輪島市河井町2番').encode("cp932"),
}


@pytest.mark.parametrize(("name", "content"), list(UNUSABLE.items()), ids=list(UNUSABLE))
def test_unusable_files_are_refused_in_japanese(template, name, content):
    with fresh_store(template) as (ws, work):
        path = work / "extract.csv"
        path.write_bytes(content)
        report = import_cleanly(ws, "buildings", path, template[1])
        assert report is None or report.added <= 1, name
        if name in ("excel workbook", "empty", "bom only", "no address column", "utf-16"):
            assert report is None, name
