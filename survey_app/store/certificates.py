"""The certificate register (交付台帳) and its numbering.

A number is taken from `certificate_numbers` and its register entry written in ONE transaction
(BEGIN IMMEDIATE, so two processes can never draw the same number). The PDF is made afterwards;
an entry still `allocated` is a certificate whose PDF was never finished (a crash, a cancelled
batch): it stays visible and can be printed again, so every number in 1..last is explained.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from survey_app.store.canonical import canonical
from survey_app.store.ids import new_id, now_iso

if TYPE_CHECKING:
    from survey_app.store.db import Store

CERTIFICATE_SERIES = "certificate"
APPLICATION_SERIES = "application"
KINDS = ("risai", "hisai")
# Columns that, with the payload, make up what was certified; the entry hash covers them.
HASHED = ("disaster_id", "municipality_code", "number", "number_text", "kind", "event",
          "application_id", "survey_version_id", "survey_content_hash", "grade_code", "grade",
          "previous_id", "reason", "issued_on", "issued_by", "issued_at", "payload")


class RegisterError(Exception):
    """A register rule was broken; `entry` is the register entry in the way, if any."""

    def __init__(self, code: str, entry: dict | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.entry = entry


def entry_hash(row: dict) -> str:
    return hashlib.sha256(canonical({k: row[k] for k in HASHED}).encode("utf-8")).hexdigest()


def next_number(store: Store, series: str, municipality_code: str, disaster_id: str) -> int:
    """The next number of a series; call inside `store.atomic()` so it commits with its use."""
    if not store.db.conn.in_transaction:
        raise RuntimeError("next_number must run inside store.atomic()")
    row = store.db.execute(
        "INSERT INTO certificate_numbers (series, municipality_code, disaster_id, last_no)"
        " VALUES (?, ?, ?, 1) ON CONFLICT (series, municipality_code, disaster_id)"
        " DO UPDATE SET last_no = last_no + 1 RETURNING last_no",
        [series, municipality_code, disaster_id]).fetchone()
    return int(row[0])


class CertificateRegister:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def allocate(self, *, disaster_id: str, municipality_code: str, kind: str, event: str,
                 payload: dict, number_format: str, issued_on: str, actor: str,
                 previous_id: str | None = None, **links: object) -> dict:
        """Take the next number and write its entry (status `allocated`) in one transaction.

        `links`: building_id, application_id, survey_id, survey_version_id,
        survey_content_hash, grade_code, grade, reason. A first issue for an application that
        already holds a valid certificate of the same kind, or a reissue of a certificate that
        is no longer valid, raises RegisterError: checked inside the same transaction, so two
        clerks pressing "issue" together still give one certificate.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown certificate kind {kind!r}")
        with self.store.atomic():
            self._check_allowed(kind, event, links.get("application_id"), previous_id)
            number = next_number(self.store, CERTIFICATE_SERIES, municipality_code, disaster_id)
            row = self._row(disaster_id, municipality_code, number, kind, event, payload,
                            number_format, issued_on, actor, previous_id, links)
            self.db["certificates"].insert(row)
            if previous_id:
                self.db.execute("UPDATE certificates SET validity = 'superseded',"
                                " superseded_by = ? WHERE id = ?", [row["id"], previous_id])
            self.store.audit.append(
                actor=actor, action=event, entity="certificate", entity_id=row["id"],
                payload={"number": number, "kind": kind, "entry_hash": row["entry_hash"],
                         "previous_id": previous_id,
                         "survey_version_id": row["survey_version_id"]})
        return self.get(row["id"])

    def _check_allowed(self, kind: str, event: str, application_id: object,
                       previous_id: str | None) -> None:
        if event == "reissue":
            previous = self.get(previous_id) if previous_id else None
            if previous is None or previous["validity"] != "valid":
                raise RegisterError("not_reissuable", previous)
            return
        if application_id:
            rows = list(self.db.query(
                "SELECT * FROM certificates WHERE application_id = ? AND kind = ?"
                " AND validity = 'valid' LIMIT 1", [application_id, kind]))
            if rows:
                raise RegisterError("already_issued", self._decode(rows[0]))

    @staticmethod
    def _row(disaster_id, municipality_code, number, kind, event, payload, number_format,
             issued_on, actor, previous_id, links) -> dict:
        row = {"id": new_id(), "disaster_id": disaster_id,
               "municipality_code": municipality_code, "number": number,
               "number_text": number_format.format(number=number), "kind": kind,
               "event": event, "previous_id": previous_id, "issued_on": issued_on,
               "issued_by": actor, "issued_at": now_iso(), "payload": canonical(payload),
               **{k: links.get(k) for k in ("building_id", "application_id", "survey_id",
                                            "survey_version_id", "survey_content_hash",
                                            "grade_code", "grade")},
               "reason": str(links.get("reason") or "")}
        row["entry_hash"] = entry_hash(row)
        return row

    def mark_printed_many(self, pages: list[tuple[str, int | None, str]], *,
                          actor: str) -> None:
        """Entries whose PDF is in place: (entry id, page, pdf path), one transaction."""
        if not pages:
            return
        now = now_iso()
        with self.store.atomic():
            self.db.conn.executemany(
                "UPDATE certificates SET print_status = 'printed', pdf_path = ?, pdf_page = ?,"
                " printed_at = ?, print_count = print_count + 1 WHERE id = ?",
                [(path, page, now, entry_id) for entry_id, page, path in pages])
            self.store.audit.append(
                actor=actor, action="print", entity="certificate", entity_id=pages[0][0],
                payload={"printed": [[entry_id, path, page] for entry_id, page, path in pages]})

    def hash_ok(self, entry_id: str) -> bool:
        """Does the stored entry still match its hash (nobody edited the database)?"""
        rows = list(self.db.query("SELECT * FROM certificates WHERE id = ?", [entry_id]))
        return bool(rows) and rows[0]["entry_hash"] == entry_hash(rows[0])

    def void(self, entry_id: str, *, reason: str, actor: str) -> dict:
        with self.store.atomic():
            entry = self.get(entry_id)
            if entry is None or entry["validity"] != "valid":
                raise RegisterError("not_voidable", entry)
            self.db.execute(
                "UPDATE certificates SET validity = 'voided', voided_at = ?, voided_by = ?,"
                " void_reason = ? WHERE id = ?", [now_iso(), actor, reason, entry_id])
            self.store.audit.append(actor=actor, action="void", entity="certificate",
                                    entity_id=entry_id, payload={"reason": reason,
                                                                 "number": entry["number"]})
        return self.get(entry_id)

    # -- reading -----------------------------------------------------------------------------

    @staticmethod
    def _decode(row: dict) -> dict:
        return {**row, "payload": json.loads(row["payload"])}

    def get(self, entry_id: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM certificates WHERE id = ?", [entry_id]))
        return self._decode(rows[0]) if rows else None

    def by_number(self, disaster_id: str, number: int,
                  municipality_code: str | None = None) -> dict | None:
        sql = "SELECT * FROM certificates WHERE disaster_id = ? AND number = ?"
        params: list = [disaster_id, number]
        if municipality_code is not None:
            sql += " AND municipality_code = ?"
            params.append(municipality_code)
        rows = list(self.db.query(sql, params))
        return self._decode(rows[0]) if rows else None

    def entries(self, disaster_id: str, *, print_status: str | None = None,
                validity: str | None = None, offset: int = 0, limit: int = 1000) -> list[dict]:
        sql, params = "SELECT * FROM certificates WHERE disaster_id = ?", [disaster_id]
        for column, value in (("print_status", print_status), ("validity", validity)):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        sql += " ORDER BY municipality_code, number LIMIT ? OFFSET ?"
        return [self._decode(r) for r in self.db.query(sql, [*params, limit, offset])]

    def for_application(self, application_id: str) -> list[dict]:
        rows = self.db.query("SELECT * FROM certificates WHERE application_id = ?"
                             " ORDER BY number", [application_id])
        return [self._decode(r) for r in rows]

    def for_building(self, building_id: str) -> list[dict]:
        rows = self.db.query("SELECT * FROM certificates WHERE building_id = ?"
                             " ORDER BY number", [building_id])
        return [self._decode(r) for r in rows]

    def numbering_report(self, disaster_id: str) -> list[dict]:
        """Per municipality: the last number given, how many entries, and any number 1..last
        with no entry (always empty unless the database was tampered with)."""
        out = []
        for counter in self.db.query(
                "SELECT municipality_code, last_no FROM certificate_numbers"
                " WHERE series = ? AND disaster_id = ?", [CERTIFICATE_SERIES, disaster_id]):
            numbers = {r[0] for r in self.db.execute(
                "SELECT number FROM certificates WHERE disaster_id = ? AND municipality_code = ?",
                [disaster_id, counter["municipality_code"]])}
            missing = [n for n in range(1, counter["last_no"] + 1) if n not in numbers]
            out.append({**counter, "entries": len(numbers), "missing": missing})
        return out
