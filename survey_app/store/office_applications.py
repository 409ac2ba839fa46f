"""Match keys and duplicate flags for applications (the core `applications` table is the lead's).

Every application gets a row of keys (home, household, name) so "is this home or household
already on file?" is an index lookup, not a scan. Applications that came in another way
(imports, sync) are keyed lazily by `ensure_keys`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from survey_app.domain.office_address import home_key, household_key, name_key
from survey_app.store.ids import now_iso

if TYPE_CHECKING:
    from survey_app.store.db import Store


def keys_for(application: dict) -> dict:
    return {"home_key": home_key(application["damaged_address"]),
            "household_key": household_key(application["applicant_name"],
                                           application["household_address"]),
            "name_key": name_key(application["applicant_name"])}


class ApplicationIndex:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def index(self, application: dict) -> None:
        row = {"application_id": application["id"],
               "disaster_id": application["disaster_id"], **keys_for(application)}
        with self.store.atomic():
            self.db["application_keys"].upsert(row, pk="application_id")

    def ensure_keys(self, disaster_id: str) -> int:
        """Key the applications of a disaster that have no keys yet; returns how many."""
        rows = list(self.db.query(
            "SELECT a.* FROM applications a LEFT JOIN application_keys k"
            " ON k.application_id = a.id WHERE a.disaster_id = ? AND k.application_id IS NULL",
            [disaster_id]))
        with self.store.atomic():
            for row in rows:
                self.index(row)
        return len(rows)

    def matches(self, disaster_id: str, application: dict) -> dict[str, list[str]]:
        """Other applications for the same home and for the same household (ids, oldest first)."""
        keys = keys_for(application)
        out: dict[str, list[str]] = {}
        for flag, column in (("same_home", "home_key"), ("same_household", "household_key")):
            rows = self.db.execute(
                f"SELECT k.application_id FROM application_keys k JOIN applications a"
                f" ON a.id = k.application_id WHERE k.disaster_id = ? AND k.{column} = ?"
                f" AND k.application_id != ? ORDER BY a.received_on, a.created_at",
                [disaster_id, keys[column], application.get("id") or ""]).fetchall()
            out[flag] = [r[0] for r in rows]
        return out

    def add_flag(self, application_id: str, flag: str, related_id: str) -> None:
        with self.store.atomic():
            self.db["application_flags"].insert(
                {"application_id": application_id, "flag": flag,
                 "related_application_id": related_id, "created_at": now_iso()})

    def flags(self, application_id: str) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM application_flags WHERE application_id = ? ORDER BY seq",
            [application_id]))

    def by_home_key(self, disaster_id: str, key: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT application_id FROM application_keys WHERE disaster_id = ? AND home_key = ?",
            [disaster_id, key])]

    def by_name_key(self, disaster_id: str, key: str) -> list[str]:
        """Applications whose head's name contains `key` (family name, given name or both)."""
        if not key:
            return []
        return [r[0] for r in self.db.execute(
            "SELECT application_id FROM application_keys WHERE disaster_id = ?"
            " AND instr(name_key, ?) > 0", [disaster_id, key])]

    def buildings_at(self, disaster_id: str, address: str) -> list[str]:
        """Buildings whose address is the same home as `address` (see `home_key`).

        The building table is keyed with the plainer `address_key`; its numeric tail narrows
        the candidates, and the home key decides."""
        key = home_key(address)
        tail = re.search(r"\d[\d-]*$", key)
        pattern = "%" + (tail.group(0) if tail else key).replace("%", "").replace("_", "")
        rows = self.db.query("SELECT id, address FROM buildings WHERE disaster_id = ?"
                             " AND address_key LIKE ?", [disaster_id, pattern])
        return [r["id"] for r in rows if home_key(r["address"]) == key]

    def link_building(self, application_id: str, building_id: str, *, actor: str) -> None:
        """Tie an application to the surveyed building it is about."""
        with self.store.atomic():
            self.db.execute("UPDATE applications SET building_id = ? WHERE id = ?",
                            [building_id, application_id])
            self.store.audit.append(actor=actor, action="link", entity="application",
                                    entity_id=application_id,
                                    payload={"building_id": building_id})
