"""Applications for a certificate (罹災証明書交付申請), with the fields of the unified form."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from survey_app.domain.text import address_key, to_katakana
from survey_app.store.ids import new_id, now_iso
from survey_app.store.listing import fts_query

if TYPE_CHECKING:
    from survey_app.store.db import Store

OPTIONAL = ("building_id", "applicant_kana", "contact", "cause", "requested_method", "status")


class Applications:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add(self, *, disaster_id: str, application_no: str, applicant_name: str,
            household_address: str, damaged_address: str, received_on: str,
            members: list[dict] | None = None, actor: str = "system",
            application_id: str | None = None, **optional: object) -> str:
        unknown = set(optional) - set(OPTIONAL)
        if unknown:
            raise ValueError(f"unknown application fields: {sorted(unknown)}")
        if optional.get("applicant_kana"):
            optional["applicant_kana"] = to_katakana(str(optional["applicant_kana"]))
        row = {"id": application_id or new_id(), "disaster_id": disaster_id,
               "application_no": application_no, "applicant_name": applicant_name,
               "household_address": household_address, "damaged_address": damaged_address,
               "received_on": received_on, "members": json.dumps(members or [],
                                                                 ensure_ascii=False),
               "created_at": now_iso(), **optional}
        with self.store.atomic():
            self.db["applications"].insert(row)
            self.store.audit.append(actor=actor, action="create", entity="application",
                                    entity_id=row["id"], payload=row)
        return row["id"]

    def get(self, application_id: str) -> dict:
        row = self.db["applications"].get(application_id)
        return {**row, "members": json.loads(row["members"])}

    def for_building(self, building_id: str) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM applications WHERE building_id = ? ORDER BY received_on",
            [building_id]))

    def search(self, disaster_id: str, text: str, limit: int = 100) -> list[dict]:
        text = text.strip()
        if len(text) >= 3:
            sql = ("SELECT a.* FROM applications a WHERE a.disaster_id = ? AND a.rowid IN"
                   " (SELECT rowid FROM applications_fts WHERE applications_fts MATCH ?)"
                   " ORDER BY a.received_on LIMIT ?")
            return list(self.db.query(sql, [disaster_id, fts_query(text), limit]))
        like = f"%{text}%"
        sql = ("SELECT * FROM applications WHERE disaster_id = ? AND (applicant_name LIKE ?"
               " OR applicant_kana LIKE ? OR application_no LIKE ? OR damaged_address LIKE ?)"
               " ORDER BY received_on LIMIT ?")
        return list(self.db.query(sql, [disaster_id, like, f"%{to_katakana(text)}%", like,
                                        like, limit]))

    def possible_duplicates(self, disaster_id: str, damaged_address: str) -> list[dict]:
        """Applications already on file for the same home, however its address was written."""
        key = address_key(damaged_address)
        rows = self.db.query("SELECT * FROM applications WHERE disaster_id = ?", [disaster_id])
        return [r for r in rows if address_key(r["damaged_address"]) == key]
