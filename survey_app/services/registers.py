"""Import building and resident lists from register CSV extracts before the survey starts:
家屋課税台帳 (buildings) and 住民基本台帳 (residents).

- Bad rows are reported with their line number and reasons while the good rows import.
- Importing the same file again changes nothing: every row has a natural key (家屋番号; else
  the address key plus the owner's name; for residents 住民票コード, else address key + name +
  birth date) and a hash of its values; an unchanged row is skipped, a changed row updates.
- A register row whose address matches a building already entered in the field is linked to it
  (blank fields filled, nothing overwritten) instead of making a duplicate.
- Work is committed in chunks with an audit entry each; an interrupted import can simply be run
  again. An import that changes nothing writes nothing, not even its log row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from survey_app.domain.text import address_key, to_katakana
from survey_app.i18n import tr
from survey_app.services import register_mapping as mapping_files
from survey_app.services import register_values as values
from survey_app.services.register_mapping import RegisterFileError
from survey_app.services.register_report import BadRow, ImportReport
from survey_app.services.register_writers import BuildingWriter, ResidentWriter
from survey_app.services.workspace import Workspace

CHUNK = 500
Progress = Callable[[int, int], None]
__all__ = ["BadRow", "ImportReport", "RegisterFileError", "import_register", "preview"]


def preview(ws: Workspace, kind: str, path: Path | str, *,
            encoding: str = "auto") -> tuple[list[str], dict[str, str]]:
    """The file's header and the suggested mapping (the remembered one when it fits)."""
    with mapping_files.RecordFile(Path(path), encoding) as records:
        header = records.header
    return header, mapping_files.suggest(kind, header, mapping_files.remembered(ws.home, kind))


def _cell(cells: list[str], index: dict[str, int], key: str) -> str:
    i = index.get(key)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _parse_building(get: Callable[[str], str]) -> dict:
    row: dict = {"address": values.clean(get("address")), "kaoku_no": values.clean(get("kaoku_no")),
                 "owner_name": get("owner_name"), "owner_kana": to_katakana(get("owner_kana")),
                 "area": get("area"), "use_class": values.use_class("用途", get("use")),
                 "structure": values.structure("構造", get("structure")),
                 "floors": values.number("階数", get("floors"), integer=True, low=0, high=200),
                 "floor_area": values.number("床面積", get("floor_area"), low=0, high=10**7),
                 "lat": values.number("緯度", get("lat")), "lon": values.number("経度", get("lon"))}
    if not row["address"]:
        raise ValueError(tr("exports.import.missing_value", field="所在地"))
    if (row["lat"] is None) != (row["lon"] is None):
        raise ValueError(tr("exports.import.latlon_pair"))
    if row["lat"] is not None and not (-90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180):
        raise ValueError(tr("exports.import.bad_latlon", lat=row["lat"], lon=row["lon"]))
    owner = row["owner_name"].replace(" ", "").replace("　", "")
    row["natural_key"] = (f"kaoku:{row['kaoku_no']}" if row["kaoku_no"]
                          else f"addr:{address_key(row['address'])}|{owner}")
    return row


def _parse_resident(get: Callable[[str], str]) -> dict:
    row: dict = {"resident_code": values.clean(get("resident_code")),
                 "household_no": values.clean(get("household_no")), "name": get("name"),
                 "kana": to_katakana(get("kana")), "birth_date": values.date("生年月日",
                                                                            get("birth_date")),
                 "sex": values.sex("性別", get("sex")), "relation": get("relation"),
                 "address": values.clean(get("address"))}
    for key, label in (("name", "氏名"), ("address", "住所")):
        if not row[key]:
            raise ValueError(tr("exports.import.missing_value", field=label))
    row["address_key"] = address_key(row["address"])
    name = row["name"].replace(" ", "").replace("　", "")
    row["natural_key"] = (f"code:{row['resident_code']}" if row["resident_code"]
                          else f"person:{row['address_key']}|{name}|{row['birth_date']}")
    return row


PARSERS = {"buildings": _parse_building, "residents": _parse_resident}


def _parsed(kind: str, header: list[str], mapping: dict[str, str],
            records: Iterable[tuple[int, list[str]]], report: ImportReport) -> Iterator[dict]:
    """Good rows (with their line and hash); bad rows go to the report."""
    index = {key: header.index(col) for key, col in mapping.items() if col}
    seen: dict[str, int] = {}
    for line, cells in records:
        report.rows_read += 1
        if len(cells) != len(header):
            report.bad.append(BadRow(line, (tr("exports.import.column_count", found=len(cells),
                                                expected=len(header)),)))
            continue
        if any("\0" in c for c in cells):  # a damaged record, or not a CSV text file at all
            report.bad.append(BadRow(line, (tr("exports.import.nul_char"),)))
            continue
        try:
            row = PARSERS[kind](lambda key, c=cells: _cell(c, index, key))
        except ValueError as err:
            report.bad.append(BadRow(line, (str(err),)))
            continue
        if (first := seen.setdefault(row["natural_key"], line)) != line:
            report.bad.append(BadRow(line, (tr("exports.import.duplicate_key", line=first),)))
            continue
        payload = {k: v for k, v in row.items() if k != "natural_key"}
        row["row_hash"] = hashlib.sha256(json.dumps(payload, ensure_ascii=False,
                                                    sort_keys=True).encode()).hexdigest()
        row["line"] = line
        yield row


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _count_records(path: Path, encoding: str) -> int:
    with mapping_files.RecordFile(path, encoding) as records:
        return sum(1 for _ in records)


def import_register(ws: Workspace, kind: str, path: Path | str, *, disaster_id: str,
                    mapping: dict[str, str] | None = None, encoding: str = "auto",
                    progress: Progress | None = None) -> ImportReport:
    """Import `path` as `kind` ("buildings" or "residents") into the disaster."""
    path = Path(path)
    mapping_files.fields(kind)
    if not ws.store.db["disasters"].count_where("id = ?", [disaster_id]):
        raise RegisterFileError(tr("exports.disaster_unknown", disaster=disaster_id))
    with mapping_files.RecordFile(path, encoding) as records:
        header = records.header
        chosen = mapping or mapping_files.suggest(kind, header,
                                                  mapping_files.remembered(ws.home, kind))
        chosen = {k: v for k, v in chosen.items() if v}
        mapping_files.check(kind, chosen, header)
        report = ImportReport(kind=kind, file=path.name, mapping=chosen)
        total = _count_records(path, encoding)
        writer_cls = BuildingWriter if kind == "buildings" else ResidentWriter
        writer = writer_cls(ws.store, disaster_id=disaster_id, actor=ws.actor, report=report,
                            source={"file_name": path.name, "file_sha256": _sha256(path),
                                    "mapping": chosen})
        rows = _parsed(kind, header, chosen, records, report)
        while chunk := list(islice(rows, CHUNK)):
            writer.write(chunk)
            if progress:
                progress(report.rows_read, max(total, report.rows_read))
        writer.finish()
    mapping_files.remember(ws.home, kind, chosen)
    return report
