"""Disasters and buildings: one identity per building, whatever number of surveys it gets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey_app.domain.text import address_key, to_katakana
from survey_app.store.ids import new_id, now_iso

if TYPE_CHECKING:
    from survey_app.store.db import Store

BUILDING_FIELDS = ("address", "area", "owner_name", "owner_kana", "structure", "floors", "lat",
                   "lon", "location_source", "location_accuracy_m", "assigned_to")
# Columns copied onto each survey row so the list can filter and sort without a join.
_LISTED = {"address": "address", "owner_name": "applicant", "owner_kana": "applicant_kana",
           "area": "area"}


class Buildings:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def create_disaster(self, *, name: str, hazard: str, occurred_on: str,
                        municipality_code: str = "", municipality_name: str = "",
                        actor: str = "system", disaster_id: str | None = None) -> str:
        row = {"id": disaster_id or new_id(), "name": name, "hazard": hazard,
               "occurred_on": occurred_on, "municipality_code": municipality_code,
               "municipality_name": municipality_name, "created_at": now_iso()}
        with self.store.atomic():
            self.db["disasters"].insert(row)
            self.store.audit.append(actor=actor, action="create", entity="disaster",
                                    entity_id=row["id"], payload=row)
        return row["id"]

    def disasters(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM disasters ORDER BY occurred_on DESC, name"))

    def disaster(self, disaster_id: str) -> dict:
        return self.db["disasters"].get(disaster_id)

    def add(self, *, disaster_id: str, address: str, actor: str = "system",
            building_id: str | None = None, **fields: object) -> str:
        unknown = set(fields) - set(BUILDING_FIELDS)
        if unknown:
            raise ValueError(f"unknown building fields: {sorted(unknown)}")
        now = now_iso()
        row = {"id": building_id or new_id(), "disaster_id": disaster_id, "address": address,
               "address_key": address_key(address), "created_at": now, "updated_at": now,
               **fields}
        if row.get("owner_kana"):
            row["owner_kana"] = to_katakana(str(row["owner_kana"]))
        with self.store.atomic():
            self.db["buildings"].insert(row)
            self.store.audit.append(actor=actor, action="create", entity="building",
                                    entity_id=row["id"], payload=row)
        return row["id"]

    def get(self, building_id: str) -> dict:
        return self.db["buildings"].get(building_id)

    def update(self, building_id: str, *, actor: str, **fields: object) -> None:
        unknown = set(fields) - set(BUILDING_FIELDS)
        if unknown:
            raise ValueError(f"unknown building fields: {sorted(unknown)}")
        if "address" in fields:
            fields["address_key"] = address_key(str(fields["address"]))
        if fields.get("owner_kana"):
            fields["owner_kana"] = to_katakana(str(fields["owner_kana"]))
        with self.store.atomic():
            self.db["buildings"].update(building_id, {**fields, "updated_at": now_iso()})
            listed = {_LISTED[k]: v for k, v in fields.items() if k in _LISTED}
            if listed:
                sets = ", ".join(f"{col} = :{col}" for col in listed)
                self.db.execute(f"UPDATE surveys SET {sets} WHERE building_id = :bid",
                                {**listed, "bid": building_id})
            self.store.audit.append(actor=actor, action="update", entity="building",
                                    entity_id=building_id, payload=fields)

    def set_location(self, building_id: str, *, lat: float, lon: float, source: str,
                     accuracy_m: float | None, actor: str) -> None:
        """Fix the location; `source` is exif / gnss / map / register, kept with its accuracy."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"latitude/longitude out of range: {lat}, {lon}")
        self.update(building_id, actor=actor, lat=lat, lon=lon, location_source=source,
                    location_accuracy_m=accuracy_m)

    def find_by_address(self, disaster_id: str, address: str) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM buildings WHERE disaster_id = ? AND address_key = ?",
            [disaster_id, address_key(address)]))

    def count(self, disaster_id: str) -> int:
        return self.db.execute("SELECT count(*) FROM buildings WHERE disaster_id = ?",
                               [disaster_id]).fetchone()[0]
