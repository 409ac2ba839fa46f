"""Readable names and values for observation paths, from the survey's form definition (forms/):
"components.roof.degrees" → 「屋根：損傷程度・面積率・区画数」, [{"degree": "V", "area_percent":
100}] → 「程度Ⅴ 100%」. Used where a field is named outside the form itself (merging a stale
draft); a path the form does not know is shown as it is, never hidden."""

from __future__ import annotations

from typing import Any

from survey_app.i18n import current_language, tr
from survey_app.sync.merge import MISSING

# A component's degrees are named by the grid's own columns (the optional tally of units is
# shown in the value when present).
GRID_COLUMNS = ("degrees.degree", "degrees.area_percent")
META_KEYS = ("hazard", "stage", "structure", "disaster_date", "rules_version", "meta")


def _label(entry: dict) -> str:
    if current_language() == "en" and entry.get("label_en"):
        return str(entry["label_en"])
    return str(entry.get("label", ""))


def _plain_specs(form: dict) -> dict[str, dict]:
    return {f["path"]: f for s in form.get("sections", []) if s.get("kind") != "components"
            for f in s.get("fields", [])}


def _component_parts(form: dict) -> tuple[dict[str, dict], list[tuple[str, dict]]]:
    """({code: component}, [(path below the component, e.g. "degrees.degree", spec)])."""
    components: dict[str, dict] = {}
    specs: list[tuple[str, dict]] = []
    for section in form.get("sections", []):
        if section.get("kind") == "components":
            components.update({c["code"]: c for c in section.get("components", [])})
            specs += [(f["path"].removeprefix("components.*.").replace("[]", ""), f)
                      for f in section.get("fields", [])]
    return components, specs


def field_label(form: dict, path: str) -> str:
    """The form's label for `path`; the path itself when the form has none."""
    plain = _plain_specs(form)
    if path in plain:
        return _label(plain[path])
    parts = path.split(".")
    if parts[0] == "components" and len(parts) >= 2:
        return _component_label(form, parts[1], ".".join(parts[2:]))
    if parts[0] in META_KEYS:
        name = tr(f"fieldwork.rebase_key_{parts[0]}")
        return name if len(parts) == 1 else tr("fieldwork.rebase_part", whole=name,
                                                 part=".".join(parts[1:]))
    for section in form.get("sections", []):
        if section["id"] == parts[0]:
            name = _label(section)
            return name if len(parts) == 1 else tr("fieldwork.rebase_part", whole=name,
                                                     part=".".join(parts[1:]))
    return path


def _component_label(form: dict, code: str, below: str) -> str:
    components, specs = _component_parts(form)
    name = _label(components[code]) if code in components else code
    if not below:
        return name
    wanted = GRID_COLUMNS if below == "degrees" else None
    names = [_label(s) for sub, s in specs if (sub in wanted if wanted else
                                               sub == below or sub.startswith(below + "."))]
    return tr("fieldwork.rebase_part", whole=name,
              part=tr("fieldwork.rebase_list_sep_short").join(names) or below)


def display_value(form: dict, path: str, value: Any) -> str:
    """`value` as the form would show it: option labels, units, はい／いいえ, （未入力）."""
    if value is MISSING or value is None or value == {} or value == []:
        return tr("fieldwork.rebase_empty")
    if isinstance(value, bool):
        return tr("fieldwork.rebase_yes") if value else tr("fieldwork.rebase_no")
    spec = _plain_specs(form).get(path)
    parts = path.split(".")
    if spec is None and parts[0] == "components" and len(parts) >= 3:
        return _component_value(form, ".".join(parts[2:]), value)
    if isinstance(value, dict):
        return tr("fieldwork.rebase_list_sep").join(
            tr("fieldwork.rebase_pair", name=field_label(form, f"{path}.{k}"),
               value=display_value(form, f"{path}.{k}", v)) for k, v in value.items())
    return _with_spec(spec, value)


def _with_spec(spec: dict | None, value: Any) -> str:
    if isinstance(value, list):
        text = tr("fieldwork.rebase_list_sep_short").join(_number(v) for v in value)
    elif spec is not None and spec.get("options"):
        text = next((_label(o) for o in spec["options"] if o["value"] == value), str(value))
    else:
        text = _number(value)
    unit = (spec or {}).get("unit")
    return f"{text} {unit}" if unit and not isinstance(value, str) else text


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _component_value(form: dict, below: str, value: Any) -> str:
    _, specs = _component_parts(form)
    if below == "degrees" and isinstance(value, list):
        degree = next((s for sub, s in specs if sub == "degrees.degree"), None)
        share = next((s for sub, s in specs if sub == "degrees.area_percent"), None)
        return tr("fieldwork.rebase_list_sep").join(
            _degree_row(row, degree, share) for row in value)
    spec = next((s for sub, s in specs if sub == below), None)
    if isinstance(value, dict):
        return tr("fieldwork.rebase_list_sep").join(
            tr("fieldwork.rebase_pair", name=k, value=_component_value(form, f"{below}.{k}", v))
            for k, v in value.items())
    return _with_spec(spec, value)


def _degree_row(row: Any, degree: dict | None, share: dict | None) -> str:
    if not isinstance(row, dict):
        return str(row)
    text = _with_spec(degree, row.get("degree")) if "degree" in row else "?"
    if "area_percent" in row:
        text += " " + _with_spec(share, row["area_percent"]).replace(" %", "%")
    if "units" in row:
        text += " " + tr("fieldwork.rebase_units", units=_number(row["units"]))
    return text
