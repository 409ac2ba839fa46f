"""Checks on what the server sends back: a reply is used only if it has exactly the shape the
protocol promises. A hostile or broken server gets a clear error, never a half-applied reply.

A spec is a type (or tuple of types), a dict (an object with these required keys; other keys
are ignored), a one-element list (a list of items of that spec) or a callable check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from survey_app.i18n import tr
from survey_app.sync.errors import ProtocolError
from survey_app.sync.protocol import is_sha, is_uuid

Spec = Any
OptStr = (str, type(None))
OptNum = (int, float, type(None))


def sha(value: Any) -> bool:
    return is_sha(value)


def uuid_(value: Any) -> bool:
    return is_uuid(value)


def opt_uuid(value: Any) -> bool:
    return value is None or is_uuid(value)


def nonneg_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def one_of(*choices: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return value in choices

    check.__name__ = "|".join(choices)
    return check


def check(value: Any, spec: Spec, where: str = "reply") -> Any:
    """`value` unchanged if it matches `spec`; ProtocolError naming the place otherwise."""
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise _bad(where, "object")
        for key, sub in spec.items():
            if key not in value:
                raise _bad(f"{where}.{key}", "present")
            check(value[key], sub, f"{where}.{key}")
        return value
    if isinstance(spec, list):
        if not isinstance(value, list):
            raise _bad(where, "list")
        for i, item in enumerate(value):
            check(item, spec[0], f"{where}[{i}]")
        return value
    if isinstance(spec, type | tuple):
        if isinstance(value, bool) and spec in (int, float):
            raise _bad(where, getattr(spec, "__name__", str(spec)))
        if not isinstance(value, spec):
            raise _bad(where, getattr(spec, "__name__", str(spec)))
        return value
    if not spec(value):
        raise _bad(where, getattr(spec, "__name__", "valid"))
    return value


def _bad(where: str, expected: str) -> ProtocolError:
    return ProtocolError(tr("sync.bad_reply", where=where, expected=expected))


# -- the replies of the protocol -------------------------------------------------------------

ME = {"username": str, "role": one_of("surveyor", "office", "admin"), "municipality_code": str}
LOGIN = {"token": str, **ME}
PUSH_RESULT = {"kind": str, "id": str,
               "result": one_of("created", "updated", "already", "merged", "conflict",
                                "rejected", "gone")}
PUSH = {"results": [PUSH_RESULT]}
MISSING = {"missing": [sha]}
BATCH = {"results": [{"sha256": sha, "result": one_of("stored", "already", "rejected")}]}
UPLOAD = {"upload_id": uuid_, "chunk_size": nonneg_int, "received": [nonneg_int],
          "complete": bool}
CHUNK = {"n": nonneg_int, "size": nonneg_int, "sha256": sha}
COMMIT = {"sha256": sha, "size": nonneg_int}
CHANGE = {"rev": nonneg_int, "entity": one_of("disaster", "building", "survey", "version",
                                               "photo_link", "conflict"),
          "id": str, "op": one_of("put", "delete"), "data": (dict, type(None))}
CHANGES = {"changes": [CHANGE], "next_since": nonneg_int, "more": bool}
SUMMARY = {"rev": nonneg_int, "kinds": dict}
SUMMARY_KIND = {"count": nonneg_int, "digest": sha}
MANIFEST = {"items": [[str]], "more": bool}
HAVE = {"have": dict}
CONFLICTS = {"conflicts": [dict]}
RESOLVE = {"version_id": opt_uuid, "result": str}

# Entity payloads in a pull, checked before anything touches the laptop's store.
DISASTER = {"id": uuid_, "name": str, "hazard": str, "occurred_on": str,
            "municipality_code": str, "municipality_name": str}
BUILDING = {"id": uuid_, "disaster_id": uuid_, "fields": dict}
SURVEY = {"id": uuid_, "building_id": uuid_, "disaster_id": uuid_, "stage": str,
          "hazard": str, "surveyor": str, "previous_survey_id": opt_uuid,
          "status": one_of("unsurveyed", "draft", "completed", "resurvey_requested"),
          "head_version_id": opt_uuid, "created_at": str}
VERSION = {"id": uuid_, "survey_id": uuid_, "base_version_id": opt_uuid,
           "observations": dict, "judgement": dict, "explanation": list, "form_hash": OptStr,
           "author": str, "reason": str, "created_at": str, "content_hash": sha}
PHOTO_LINK = {"survey_id": uuid_, "sha256": sha, "tag": str, "note": str, "meta": dict,
              "thumbnail": OptStr}
CONFLICT = {"id": uuid_, "kind": one_of("version", "building"), "survey_id": opt_uuid,
            "building_id": opt_uuid, "ours_version_id": opt_uuid, "theirs_version_id": opt_uuid,
            "fields": [dict], "status": one_of("open", "resolved"),
            "resolution_version_id": opt_uuid}
ENTITY_SPECS = {"disaster": DISASTER, "building": BUILDING, "survey": SURVEY,
                "version": VERSION, "photo_link": PHOTO_LINK, "conflict": CONFLICT}
