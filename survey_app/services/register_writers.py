"""Writing parsed register rows into the store, one chunk per transaction (see registers.py).

Buildings go through the store's own Buildings manager (each creation and update audited as in
the field app); resident rows are bookkeeping of this feature and get one audit entry per chunk.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from survey_app.services.register_report import BadRow, ImportReport
from survey_app.store.db import Store
from survey_app.store.ids import new_id, now_iso

_FILLABLE = ("owner_name", "owner_kana", "area", "structure", "floors")
_RELINK = """
UPDATE register_residents SET building_id = (SELECT b.id FROM buildings b
    WHERE b.disaster_id = register_residents.disaster_id
      AND b.address_key = register_residents.address_key)
WHERE disaster_id = :did AND building_id IS NULL
  AND (SELECT count(*) FROM buildings b WHERE b.disaster_id = register_residents.disaster_id
       AND b.address_key = register_residents.address_key) = 1
"""


class _Writer:
    kind = ""

    def __init__(self, store: Store, *, disaster_id: str, actor: str, report: ImportReport,
                 source: dict) -> None:
        self.store = store
        self.db = store.db
        self.did = disaster_id
        self.actor = actor
        self.report = report
        self.source = source

    def _import_id(self) -> str:
        """The log row of this import, written with its first change (never for a no-op)."""
        if self.report.import_id is None:
            self.report.import_id = new_id()
            self.db["register_imports"].insert({
                "id": self.report.import_id, "disaster_id": self.did, "kind": self.kind,
                "file_name": self.source["file_name"], "file_sha256": self.source["file_sha256"],
                "mapping": json.dumps(self.source["mapping"], ensure_ascii=False),
                "actor": self.actor, "imported_at": now_iso()})
        return self.report.import_id

    def _audit(self, chunk: list[dict], added: int, updated: int) -> None:
        digest = hashlib.sha256("".join(r["row_hash"] for r in chunk).encode()).hexdigest()
        self.store.audit.append(actor=self.actor, action="register_import",
                                entity="register_import", entity_id=self._import_id(),
                                payload={"kind": self.kind, "lines": [chunk[0]["line"],
                                                                      chunk[-1]["line"]],
                                         "added": added, "updated": updated, "digest": digest})

    def finish(self) -> None:
        r = self.report
        if r.import_id is None:
            return
        with self.store.atomic():
            self.db["register_imports"].update(r.import_id, {
                "rows_read": r.rows_read, "rows_added": r.added, "rows_updated": r.updated,
                "rows_unchanged": r.unchanged, "rows_bad": len(r.bad)})


class BuildingWriter(_Writer):
    kind = "buildings"

    def write(self, chunk: list[dict]) -> None:
        added, updated = self.report.added, self.report.updated
        with self.store.atomic():
            for row in chunk:
                try:
                    with self.store.atomic():
                        self._one(row)
                except sqlite3.Error as err:
                    # A row the database refuses is reported like a bad row; the rest go on.
                    self.report.bad.append(BadRow(row["line"], (str(err),)))
            if self.report.added > added or self.report.updated > updated:
                self._audit(chunk, self.report.added - added, self.report.updated - updated)

    def _one(self, row: dict) -> None:
        found = self.db.execute(
            "SELECT building_id, row_hash FROM register_buildings WHERE disaster_id = ?"
            " AND natural_key = ?", [self.did, row["natural_key"]]).fetchone()
        if found and found[1] == row["row_hash"]:
            self.report.unchanged += 1
            return
        link = {"row_hash": row["row_hash"], "kaoku_no": row["kaoku_no"],
                "use_class": row["use_class"], "floor_area": row["floor_area"],
                "import_id": self._import_id()}
        if found:
            self._update(found[0], row)
            self.db["register_buildings"].update((self.did, row["natural_key"]), link)
            self.report.updated += 1
            return
        building_id = self._match(row) or self.store.buildings.add(
            disaster_id=self.did, address=row["address"], actor=self.actor, **self._fields(row))
        self.db["register_buildings"].insert({"disaster_id": self.did,
                                              "natural_key": row["natural_key"],
                                              "building_id": building_id, **link})
        self.report.added += 1

    @staticmethod
    def _fields(row: dict) -> dict:
        fields = {k: row[k] for k in _FILLABLE if row.get(k) not in (None, "")}
        if row["lat"] is not None:
            fields.update(lat=row["lat"], lon=row["lon"], location_source="register")
        return fields

    def _update(self, building_id: str, row: dict) -> None:
        current = self.store.buildings.get(building_id)
        fields = {"address": row["address"], **self._fields(row)}
        if "lat" in fields and current["location_source"] not in (None, "register"):
            # A position fixed in the field (GNSS, photo, map) beats the register's.
            for key in ("lat", "lon", "location_source"):
                fields.pop(key)
        changed = {k: v for k, v in fields.items() if current.get(k) != v}
        if changed:
            self.store.buildings.update(building_id, actor=self.actor, **changed)

    def _match(self, row: dict) -> str | None:
        """A building entered in the field at the same address (and owner, if both known)."""
        owner = row["owner_name"].replace(" ", "").replace("　", "")
        candidates = [
            b for b in self.store.buildings.find_by_address(self.did, row["address"])
            if not self.db["register_buildings"].count_where("building_id = ?", [b["id"]])
            and (not owner or not b["owner_name"]
                 or b["owner_name"].replace(" ", "").replace("　", "") == owner)]
        if len(candidates) != 1:
            return None
        current = candidates[0]
        blanks = {k: v for k, v in self._fields(row).items()
                  if current.get(k) in (None, "") and k not in ("lat", "lon", "location_source")}
        if current["lat"] is None and row["lat"] is not None:
            blanks.update(lat=row["lat"], lon=row["lon"], location_source="register")
        if blanks:
            self.store.buildings.update(current["id"], actor=self.actor, **blanks)
        return current["id"]

    def finish(self) -> None:
        with self.store.atomic():
            linked = self.db.execute(_RELINK, {"did": self.did}).rowcount
            if linked:
                self.report.linked += linked
                self.store.audit.append(actor=self.actor, action="register_link",
                                        entity="register_import", entity_id=self._import_id(),
                                        payload={"residents_linked": linked})
        super().finish()


class ResidentWriter(_Writer):
    kind = "residents"
    _COLUMNS = ("disaster_id", "natural_key", "household_no", "name", "kana", "birth_date", "sex",
                "relation", "address", "address_key", "building_id", "row_hash", "import_id")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._buildings: dict[str, str | None] = {}

    def _building_for(self, key: str) -> str | None:
        if key not in self._buildings:
            ids = [r[0] for r in self.db.execute(
                "SELECT id FROM buildings WHERE disaster_id = ? AND address_key = ? LIMIT 2",
                [self.did, key])]
            self._buildings[key] = ids[0] if len(ids) == 1 else None
        return self._buildings[key]

    def write(self, chunk: list[dict]) -> None:
        marks = ",".join("?" * len(chunk))
        existing = {key: (h, b) for key, h, b in self.db.execute(
            "SELECT natural_key, row_hash, building_id FROM register_residents WHERE"
            f" disaster_id = ? AND natural_key IN ({marks})",
            [self.did, *(r["natural_key"] for r in chunk)])}
        changed, added = [], 0
        for row in chunk:
            old = existing.get(row["natural_key"])
            row["building_id"] = self._building_for(row["address_key"]) or (old and old[1])
            self.report.unlinked += row["building_id"] is None
            if old and old == (row["row_hash"], row["building_id"]):
                self.report.unchanged += 1
                continue
            added += old is None
            changed.append(row)
        if not changed:
            return
        with self.store.atomic():
            import_id = self._import_id()
            self.db.conn.executemany(
                f"INSERT OR REPLACE INTO register_residents ({', '.join(self._COLUMNS)})"
                f" VALUES ({','.join('?' * len(self._COLUMNS))})",
                [tuple(self.did if c == "disaster_id" else import_id if c == "import_id"
                       else r[c] for c in self._COLUMNS) for r in changed])
            self.report.added += added
            self.report.updated += len(changed) - added
            self._audit(changed, added, len(changed) - added)
