"""Reading the JSON files of forms/ and checking each against its JSON Schema (once, at load)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from survey_app.i18n import tr
from survey_app.rules.errors import RulesError


def read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RulesError(tr("rules.unreadable", path=path, reason=err)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise RulesError(tr("rules.bad_json", path=path, line=err.lineno, reason=err.msg)) from None


@cache
def schema_validator(schema_path: Path) -> Draft202012Validator:
    schema = read_json(schema_path)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def read_checked(path: Path, schema_path: Path) -> dict[str, Any]:
    """The file's data, or RulesError naming the first place that breaks the schema."""
    data = read_json(path)
    errors = sorted(schema_validator(schema_path).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "/"
        raise RulesError(tr("rules.schema_error", path=path, where=where, reason=first.message))
    return data
