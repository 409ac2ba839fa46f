"""Readable names and values for what the office sees of a survey outside its form: the fields
of a sync conflict (「observations.components.exterior_wall.degrees」 → 「外壁：損傷程度・面積率」,
「judgement.grade_code」 → 「被害の程度」) and an earlier version's input as labelled lines.

Labels come from the survey's own form definition (forms/forms/ resolved by the rule book for
its hazard, stage, structure and rule version, as the survey form gets them); observation
paths are named by `fieldwork_labels`, shared with the draft merge. A path no form knows is
shown as it is, never hidden. Qt-free: both dialogs only put these texts on screen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from survey_app.i18n import current_language, tr
from survey_app.rules import default_rulebook
from survey_app.rules.errors import RulesError
from survey_app.services.fieldwork_labels import display_value, field_label

OBSERVATIONS = "observations."
JUDGEMENT = "judgement."
# Keys of the survey record itself, named in the summary's first line.
HEADER_KEYS = ("hazard", "stage", "structure", "disaster_date", "rules_version")
BUILDING_FIELDS = ("address", "area", "owner_name", "owner_kana", "structure", "floors", "lat",
                   "lon", "location_source", "location_accuracy_m", "assigned_to")
# Shown by the field beside them in the same conflict (the grade's name beside its code, the
# rule file's hash beside its version): one row per fact, not two.
COVERED_BY = {"judgement.grade": "judgement.grade_code",
              "judgement.rules_hash": "judgement.rules_version"}


@dataclass(frozen=True)
class FieldRow:
    """One conflicting field, ready for a table: its label and the two sides' values."""
    path: str
    label: str
    ours: str
    theirs: str


@dataclass(frozen=True)
class ConflictView:
    """One open conflict as the office reads it: where, whose two versions, which fields."""
    id: str
    place: str
    ours_by: str
    theirs_by: str
    rows: list[FieldRow]


@dataclass(frozen=True)
class SummaryLine:
    section: str  # the form section's title ("" for the survey's own header line)
    label: str
    value: str


def survey_form(observations: dict, *, hazard: str = "", stage: str = "", structure: str = "",
                when: str = "") -> dict | None:
    """The form the survey was filled in, or None when its kind or rule version is unknown
    (then paths are shown as they are)."""
    hazard = observations.get("hazard") or hazard
    stage = observations.get("stage") or stage
    structure = observations.get("structure") or structure or "wood"
    date_text = str(observations.get("disaster_date") or when)[:10]
    if not (hazard and stage):
        return None
    try:
        when_date = dt.date.fromisoformat(date_text) if date_text else None
        return default_rulebook().form(hazard, stage, structure, when=when_date,
                                       version=observations.get("rules_version"))
    except (RulesError, ValueError):
        return None


class FieldLabels:
    """Labels and value texts for one survey's fields (`form`: the resolved survey form)."""

    def __init__(self, form: dict | None) -> None:
        self.form = form or {}

    # -- labels -----------------------------------------------------------------------------

    def label(self, path: str) -> str:
        if path.startswith(OBSERVATIONS):
            return self._observation_label(path.removeprefix(OBSERVATIONS))
        if path.startswith(JUDGEMENT):
            return _catalogued("fields.judgement_", path.removeprefix(JUDGEMENT), path)
        if path in BUILDING_FIELDS:
            return tr(f"fields.building_{path}")
        return self._observation_label(path)

    def _observation_label(self, path: str) -> str:
        if path in HEADER_KEYS:
            return tr(f"fields.key_{path}")
        named = field_label(self.form, path)
        if named != path:
            return named
        return tr("fields.unknown_sep").join(path.split("."))  # no form knows it: as is

    # -- values -----------------------------------------------------------------------------

    def value(self, path: str, value: Any, *, absent: bool = False) -> str:
        """`value` as people read it; 「なし」 for a field one side does not have."""
        if absent or value is None or value in ({}, [], ""):
            return tr("fields.absent")
        if path.startswith(JUDGEMENT):
            return _judgement_value(path.removeprefix(JUDGEMENT), value)
        if path in BUILDING_FIELDS:  # a building conflict's fields have no prefix
            return _building_value(path, value)
        path = path.removeprefix(OBSERVATIONS)
        if path in HEADER_KEYS:
            return _header_value(path, value)
        parts = path.split(".")
        if parts[0] == "components" and len(parts) <= 2 and isinstance(value, dict):
            return self._components_text(parts[1:], value)
        return display_value(self.form, path, value)

    def _components_text(self, code: list[str], value: dict) -> str:
        """A whole component (one side added or removed it), or every component: the degrees
        and measures without repeating the component's name in each part."""
        if not code:
            return tr("fields.component_sep").join(
                tr("fields.line", label=self.label(f"{OBSERVATIONS}components.{c}"),
                   value=self._components_text([c], v) if isinstance(v, dict) else str(v))
                for c, v in value.items())
        texts = []
        for key, sub in value.items():
            text = display_value(self.form, f"components.{code[0]}.{key}", sub)
            if key == "degrees":
                texts.append(text)
            elif key == "total_units":
                texts.append(tr("fields.total_units", value=text))
            else:
                texts.append(tr("fields.line", label=self._component_field(key), value=text))
        return tr("fields.list_sep").join(texts)

    def _component_field(self, key: str) -> str:
        for section in self.form.get("sections", []):
            for spec in section.get("fields", []):
                if spec["path"] == f"components.*.{key}":
                    return _own_label(spec)
        return key

    # -- conflicts and summaries ------------------------------------------------------------

    def conflict_rows(self, fields: list[dict]) -> list[FieldRow]:
        """One row per conflicting field of one conflict, in the order the server gave them."""
        paths = {f.get("path") for f in fields}
        rows = []
        for field in fields:
            path = str(field.get("path", ""))
            if COVERED_BY.get(path) in paths:
                continue
            absent = set(field.get("absent") or ())
            rows.append(FieldRow(path, self.label(path),
                                 self.value(path, field.get("ours"), absent="ours" in absent),
                                 self.value(path, field.get("theirs"),
                                            absent="theirs" in absent)))
        return rows

    def summary(self, observations: dict) -> list[SummaryLine]:
        """Every field entered, labelled, in the form's order; fields the form does not list
        (older forms, other hazards) follow under their own names."""
        lines = [SummaryLine("", self.label(OBSERVATIONS + k),
                             self.value(OBSERVATIONS + k, observations[k]))
                 for k in HEADER_KEYS if k in observations]
        seen = set(HEADER_KEYS)
        for section in self.form.get("sections", []):
            key = section["id"]
            if key in observations and key not in seen:
                seen.add(key)
                lines += self._section_lines(section_title(section), key, observations[key])
        for key, value in observations.items():
            if key not in seen:
                lines += self._section_lines(self.label(OBSERVATIONS + key), key, value)
        return lines

    def _section_lines(self, title: str, key: str, value: Any) -> list[SummaryLine]:
        if key == "components" and isinstance(value, dict):  # stored sorted; shown as listed
            order = [c["code"] for section in self.form.get("sections", [])
                     for c in section.get("components", [])]
            value = dict(sorted(value.items(), key=lambda kv: (
                order.index(kv[0]) if kv[0] in order else len(order), kv[0])))
        return [SummaryLine(title, self.label(OBSERVATIONS + path),
                            self.value(OBSERVATIONS + path, leaf))
                for path, leaf in _leaves(key, value)]


_OPEN = ("SELECT c.id, c.kind, c.fields, c.ours_version_id, c.theirs_version_id, s.hazard,"
         " s.stage, s.rules_version, COALESCE(s.address, b.address) AS address, b.structure,"
         " d.occurred_on FROM sync_conflicts c LEFT JOIN surveys s ON s.id = c.survey_id"
         " LEFT JOIN buildings b ON b.id = COALESCE(c.building_id, s.building_id)"
         " LEFT JOIN disasters d ON d.id = b.disaster_id WHERE c.status = 'open'"
         " ORDER BY c.updated_at")


def conflict_views(ws) -> list[ConflictView]:
    """The open conflicts on this laptop, each field named from the survey's own form."""
    out = []
    for row in ws.store.db.query(_OPEN):
        try:
            fields = json.loads(row["fields"])
        except ValueError:
            fields = []
        fields = [f for f in (fields if isinstance(fields, list) else [fields])
                  if isinstance(f, dict)]
        form = None
        if row["kind"] != "building":
            form = survey_form({"rules_version": row["rules_version"]} if row["rules_version"]
                               else {}, hazard=row["hazard"] or "", stage=row["stage"] or "",
                               structure=row["structure"] or "", when=row["occurred_on"] or "")
        out.append(ConflictView(
            row["id"], row["address"] or row["kind"], _version_by(ws, row["ours_version_id"]),
            _version_by(ws, row["theirs_version_id"]), FieldLabels(form).conflict_rows(fields)))
    return out


def _version_by(ws, version_id: str | None) -> str:
    """「鈴木（2026-11-26 10:02）」: who made a version and when, when this laptop has it."""
    found = ws.store.db.execute("SELECT author, created_at FROM survey_versions WHERE id = ?",
                                [version_id]).fetchone() if version_id else None
    if found is None:
        return ""
    return tr("fields.version_by", author=found[0] or "-", at=local_time(found[1]))


def local_time(stamp: str | None) -> str:
    """A stored UTC time (2024-01-01T00:02:00.123Z) as this computer's local minute."""
    try:
        return dt.datetime.fromisoformat(stamp or "").astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return (stamp or "")[:16].replace("T", " ")


def section_title(section: dict) -> str:
    return _own_label(section) or str(section.get("id", ""))


def _own_label(entry: dict) -> str:
    if current_language() == "en" and entry.get("label_en"):
        return str(entry["label_en"])
    return str(entry.get("label", ""))


def summary_text(lines: list[SummaryLine]) -> str:
    """The summary as plain text: the header line, then each section's fields under its title."""
    out: list[str] = []
    current = None
    for line in lines:
        if line.section != current:
            current = line.section
            if current:
                out += ["", tr("fields.section", title=current)]
        out.append(tr("fields.line", label=line.label, value=line.value))
    return "\n".join(out).strip("\n")


def observations_text(observations: dict) -> str:
    """One version's input as labelled lines, named from the form it was filled in."""
    return summary_text(FieldLabels(survey_form(observations)).summary(observations))


def _leaves(path: str, value: Any) -> Iterator[tuple[str, Any]]:
    """(path, value) of each field: objects are walked; a component (below "components") is
    one field per key, so its degrees stay one readable value."""
    if isinstance(value, dict) and value and path.count(".") < 2:
        for key, sub in value.items():
            yield from _leaves(f"{path}.{key}", sub)
    else:
        yield path, value


def _catalogued(prefix: str, key: str, fallback: str) -> str:
    try:
        return tr(prefix + key)
    except KeyError:
        return fallback


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _judgement_value(key: str, value: Any) -> str:
    if key == "grade_code":
        return _catalogued("ui.grade.", str(value), str(value))
    if key == "damage_ratio" and isinstance(value, int | float):
        return tr("fields.percent", value=_number(value))
    if key == "rules_hash":
        return str(value)[:12] + "…"
    return _number(value)


def _header_value(key: str, value: Any) -> str:
    if key in ("hazard", "stage", "structure"):
        return _catalogued(f"engine.{key}_", str(value), str(value))
    return str(value)


def _building_value(key: str, value: Any) -> str:
    if key == "structure":
        return _catalogued("engine.structure_", str(value), str(value))
    if key == "floors":
        return tr("fields.floors", value=_number(value))
    if key == "location_source":
        return _catalogued("ui.location.source_", str(value), str(value))
    if key == "location_accuracy_m":
        return tr("fields.metres", value=_number(value))
    if key in ("lat", "lon") and isinstance(value, float):
        return f"{value:.6f}"
    return _number(value)
