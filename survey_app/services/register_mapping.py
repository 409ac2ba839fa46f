"""Column mappings for register CSV extracts, and reading those files.

A mapping is a dict {our field: the file's column header}. The import dialog (or --mapping on
the command line) chooses it; the last one used for each kind is saved in the workspace
(<home>/registers/mappings.json) and offered again. Municipal systems write Shift_JIS (cp932)
as often as UTF-8, so the encoding is detected before anything is imported.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from survey_app.i18n import tr

KINDS = ("buildings", "residents")
# .xlsx (a zip) and .xls (an OLE compound file): saved from Excel instead of as CSV.
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


@dataclass(frozen=True)
class Field:
    key: str
    label: str                  # Japanese name shown in the dialog and in messages
    required: bool = False
    synonyms: tuple[str, ...] = ()


FIELDS: dict[str, tuple[Field, ...]] = {
    "buildings": (
        Field("kaoku_no", "家屋番号", False, ("家屋番号", "家屋番号(枝番)", "物件番号")),
        Field("address", "所在地", True, ("所在地", "家屋所在地", "所在", "住所", "地番")),
        Field("owner_name", "所有者氏名", False, ("所有者氏名", "所有者", "納税義務者氏名",
                                                "氏名", "名義人")),
        Field("owner_kana", "所有者カナ", False, ("所有者カナ", "所有者氏名カナ", "カナ氏名",
                                                "フリガナ", "ふりがな")),
        Field("structure", "構造", False, ("構造", "構造名称", "建物構造")),
        Field("floors", "階数", False, ("階数", "地上階数", "階層")),
        Field("floor_area", "床面積", False, ("床面積", "延床面積", "延べ床面積", "課税床面積")),
        Field("use", "用途", False, ("用途", "種類", "家屋の種類", "用途名称")),
        Field("area", "地区", False, ("地区", "地区名", "行政区", "町丁目")),
        Field("lat", "緯度", False, ("緯度", "lat", "latitude", "Y")),
        Field("lon", "経度", False, ("経度", "lon", "lng", "longitude", "X")),
    ),
    "residents": (
        Field("resident_code", "住民票コード", False, ("住民票コード", "個人番号（宛名）",
                                                    "宛名番号", "個人コード")),
        Field("household_no", "世帯番号", False, ("世帯番号", "世帯コード")),
        Field("name", "氏名", True, ("氏名", "漢字氏名", "名前")),
        Field("kana", "氏名カナ", False, ("氏名カナ", "カナ氏名", "フリガナ", "ふりがな")),
        Field("birth_date", "生年月日", False, ("生年月日", "生年月日（西暦）", "生年月日(和暦)")),
        Field("sex", "性別", False, ("性別",)),
        Field("relation", "続柄", False, ("続柄", "世帯主との続柄")),
        Field("address", "住所", True, ("住所", "現住所", "住所地", "所在地")),
    ),
}


class RegisterFileError(Exception):
    """The whole file cannot be imported (unreadable, no header, mapping wrong): nothing was."""


def fields(kind: str) -> tuple[Field, ...]:
    if kind not in FIELDS:
        raise RegisterFileError(tr("exports.import.unknown_kind", kind=kind,
                                   kinds=", ".join(KINDS)))
    return FIELDS[kind]


def detect_encoding(path: Path) -> str:
    """utf-8-sig when the whole file is valid UTF-8, else cp932 (Shift_JIS as Windows writes it)."""
    decoder_ok = True
    with path.open("rb") as fh:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            decoder_ok = False
    return "utf-8-sig" if decoder_ok else "cp932"


class RecordFile:
    """An open register CSV: `header`, then iterate (first line number, cells) per record."""

    def __init__(self, path: Path, encoding: str = "auto") -> None:
        if not path.is_file():
            raise RegisterFileError(tr("exports.import.file_missing", path=path))
        self.path = path
        with path.open("rb") as fh:
            if fh.read(4) in _EXCEL_MAGIC:  # read as text it would be garbage, not rows
                raise RegisterFileError(tr("exports.import.excel_file", path=path))
        enc = detect_encoding(path) if encoding == "auto" else encoding
        try:
            self._fh = path.open(encoding=enc, newline="")
        except LookupError as err:
            raise RegisterFileError(tr("exports.import.unreadable", path=path,
                                       reason=err)) from err
        self._reader = csv.reader(self._fh)
        try:
            self.header = [h.strip() for h in next(self._reader, [])]
        except (UnicodeDecodeError, csv.Error) as err:
            self.close()
            raise RegisterFileError(tr("exports.import.unreadable", path=path,
                                       reason=err)) from err
        if not any(self.header):
            self.close()
            raise RegisterFileError(tr("exports.import.no_header", path=path))

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        start = self._reader.line_num + 1
        try:
            for cells in self._reader:
                if any(c.strip() for c in cells):
                    yield start, cells
                start = self._reader.line_num + 1
        except (UnicodeDecodeError, csv.Error) as err:
            raise RegisterFileError(tr("exports.import.broken_at", path=self.path, line=start,
                                       reason=err)) from err

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> RecordFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def suggest(kind: str, header: list[str], remembered: dict[str, str] | None = None) -> dict:
    """A mapping for `header`: the remembered one if all its columns exist, else by synonyms."""
    if remembered and all(col in header for col in remembered.values()):
        return dict(remembered)
    norm = {h.replace(" ", "").replace("　", "").lower(): h for h in header}
    out = {}
    for field in fields(kind):
        for name in field.synonyms:
            if (found := norm.get(name.lower())) and found not in out.values():
                out[field.key] = found
                break
    return out


def check(kind: str, mapping: dict[str, str], header: list[str]) -> None:
    """Refuse a mapping naming unknown fields or columns, or leaving a required field out."""
    known = {f.key: f for f in fields(kind)}
    unknown = sorted(set(mapping) - set(known))
    if unknown:
        raise RegisterFileError(tr("exports.import.unknown_fields", fields=", ".join(unknown)))
    missing_cols = [c for c in mapping.values() if c not in header]
    if missing_cols:
        raise RegisterFileError(tr("exports.import.columns_missing",
                                   columns=", ".join(missing_cols), header=", ".join(header)))
    unmapped = [f.label for f in known.values() if f.required and not mapping.get(f.key)]
    if unmapped:
        raise RegisterFileError(tr("exports.import.required_unmapped",
                                   fields=", ".join(unmapped)))


def mappings_path(home: Path) -> Path:
    return home / "registers" / "mappings.json"


def remembered(home: Path, kind: str) -> dict[str, str]:
    path = mappings_path(home)
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}   # no saved mapping yet, or a damaged file: suggest afresh
    found = saved.get(kind, {}) if isinstance(saved, dict) else {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def remember(home: Path, kind: str, mapping: dict[str, str]) -> None:
    path = mappings_path(home)
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    saved = saved if isinstance(saved, dict) else {}
    saved[kind] = mapping
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
