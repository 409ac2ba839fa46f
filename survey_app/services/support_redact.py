"""Removing personal data from text before it leaves the laptop in a support bundle.

The names, kana, addresses and contacts to remove are read from the store itself (applicants,
household members, owners, surveyors), so a log line that quotes one is caught whatever code
wrote it. The strings are compiled into one regular expression shaped as a trie: with thousands
of names an alternation tried branch by branch would be far too slow on a large log.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import re
import sqlite3
from collections.abc import Iterable

from survey_app.services.store_facts import table_exists

MASK = "[個人情報削除]"
MIN_LENGTH = 2  # a single character would blank out ordinary words
MAX_LENGTH = 200  # keeps the compiled pattern's nesting shallow; no name or address is longer
# (table, columns holding names, kana, addresses or contact details)
PERSONAL_COLUMNS = (
    ("applications", ("applicant_name", "applicant_kana", "household_address",
                      "damaged_address", "contact")),
    ("buildings", ("address", "owner_name", "owner_kana", "assigned_to")),
    ("surveys", ("address", "applicant", "applicant_kana", "surveyor")),
)
# Contact details that may be typed anywhere, whether or not the store knows them.
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    # Japanese phone numbers; not a piece of a longer id (a sha256, a UUID's hyphenated groups).
    re.compile(r"(?<![0-9A-Za-z-])0\d{1,4}[-‐ー−() ]?\d{1,4}[-‐ー−() ]?\d{3,4}(?![0-9A-Za-z-])"),
)


def personal_strings(conn: sqlite3.Connection) -> set[str]:
    """Every personal string the store holds, with spacing variants (「山田 太郎」「山田太郎」)."""
    found: set[str] = set()
    for table, columns in PERSONAL_COLUMNS:
        if not table_exists(conn, table):
            continue
        have = {row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")}
        for column in (c for c in columns if c in have):
            found.update(r[0] for r in conn.execute(f"SELECT DISTINCT [{column}] FROM [{table}]")
                         if isinstance(r[0], str))
    if table_exists(conn, "applications"):
        for (members,) in conn.execute("SELECT members FROM applications"):
            found.update(_member_names(members))
    return _variants(found)


def _member_names(text: str) -> list[str]:
    try:
        members = json.loads(text or "[]")
    except ValueError:
        return []
    return [m["name"] for m in members if isinstance(m, dict) and isinstance(m.get("name"), str)]


def _variants(values: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for value in values:
        value = value.strip()
        for variant in (value, re.sub(r"\s+", "", value), *value.split()):
            if len(variant) >= MIN_LENGTH:
                out.add(variant)
    return out


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    # Greedy optional tails make the longest known string win (「山田 太郎」 over 「山田」).
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class Redactor:
    """Replaces each known personal string, e-mail address and phone number with MASK."""

    def __init__(self, strings: Iterable[str]) -> None:
        words = set(strings)
        with contextlib.suppress(KeyError, OSError):  # no login name (a bare container)
            words.add(getpass.getuser())  # it shows up in every file path
        words = {w for w in words if MIN_LENGTH <= len(w) <= MAX_LENGTH}
        self._known = re.compile(_trie_pattern(words)) if words else None

    @classmethod
    def for_store(cls, conn: sqlite3.Connection | None) -> Redactor:
        return cls(personal_strings(conn) if conn is not None else ())

    def __call__(self, text: str) -> str:
        if self._known is not None:
            text = self._known.sub(MASK, text)
        for pattern in _PATTERNS:
            text = pattern.sub(MASK, text)
        return text
