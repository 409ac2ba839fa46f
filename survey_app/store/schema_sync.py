"""Migrations for the sync part of the store (registered on the same migration set, after core).

The outbox is filled by triggers in the same transaction as the change it records, so no code
path that writes a survey, a building or a photo link can forget it, and it survives restarts.
While a pull applies the server's changes `sync_guard.applying` is 1 (inside that pull's own
transaction, invisible to anyone else) and the triggers stay quiet.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from survey_app.store.schema import migrations, run_script

_TABLES = """
CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sync_guard (id INTEGER PRIMARY KEY CHECK (id = 1), applying INTEGER NOT NULL);
INSERT INTO sync_guard (id, applying) VALUES (1, 0);
CREATE TABLE sync_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    survey_id TEXT,
    gen INTEGER NOT NULL DEFAULT 0,
    enqueued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, entity_id)
);
CREATE INDEX idx_sync_outbox_survey ON sync_outbox(survey_id);
CREATE TABLE sync_base (
    kind TEXT NOT NULL, entity_id TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id)
);
CREATE TABLE sync_heads (
    survey_id TEXT PRIMARY KEY, head_version_id TEXT, status TEXT NOT NULL
);
CREATE TABLE sync_conflicts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    survey_id TEXT,
    building_id TEXT,
    ours_version_id TEXT,
    theirs_version_id TEXT,
    fields TEXT NOT NULL,
    status TEXT NOT NULL,
    resolution_version_id TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_sync_conflicts_survey ON sync_conflicts(survey_id, status);
CREATE TABLE sync_failures (
    survey_id TEXT PRIMARY KEY, code TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL
);
"""

# (trigger name, table, event, outbox kind, entity id expr, survey id expr, extra condition)
_TRIGGERS = [
    ("disaster_ins", "disasters", "INSERT", "disaster", "NEW.id", "NULL", ""),
    ("disaster_upd", "disasters", "UPDATE", "disaster", "NEW.id", "NULL", ""),
    ("building_ins", "buildings", "INSERT", "building", "NEW.id", "NULL", ""),
    ("building_upd", "buildings", "UPDATE", "building", "NEW.id", "NULL", ""),
    ("survey_ins", "surveys", "INSERT", "survey", "NEW.id", "NEW.id", ""),
    ("survey_status", "surveys", "UPDATE OF status", "status", "NEW.id", "NEW.id",
     "AND NEW.status = 'resurvey_requested' AND OLD.status IS NOT NEW.status"),
    ("version_ins", "survey_versions", "INSERT", "version", "NEW.id", "NEW.survey_id", ""),
    ("link_ins", "survey_photos", "INSERT", "photo_link", "NEW.survey_id || ':' || NEW.sha256",
     "NEW.survey_id", ""),
    ("link_upd", "survey_photos", "UPDATE", "photo_link", "NEW.survey_id || ':' || NEW.sha256",
     "NEW.survey_id", ""),
]


def _trigger_sql(name: str, table: str, event: str, kind: str, entity: str, survey: str,
                 extra: str) -> str:
    return (
        f"CREATE TRIGGER sync_outbox_{name} AFTER {event} ON {table}\n"
        f"WHEN (SELECT applying FROM sync_guard WHERE id = 1) = 0 {extra}\n"
        "BEGIN\n"
        "  INSERT INTO sync_outbox (kind, entity_id, survey_id, enqueued_at)\n"
        f"  VALUES ('{kind}', {entity}, {survey}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))\n"
        "  ON CONFLICT (kind, entity_id) DO UPDATE SET gen = gen + 1;\n"
        "END;\n"
    )


@migrations()
def m200_sync_tables(db) -> None:  # noqa: ANN001 - sqlite_utils.Database
    run_script(db, _TABLES)
    run_script(db, "".join(_trigger_sql(*t) for t in _TRIGGERS))


@migrations()
def m201_sync_released(db) -> None:  # noqa: ANN001 - sqlite_utils.Database
    """Homes the office gave to someone else, as the last end-of-sync check found them: the
    laptop keeps its copy, and its surveys show 担当外 so nobody surveys them twice."""
    run_script(db, "CREATE TABLE sync_released (building_id TEXT PRIMARY KEY, at TEXT NOT NULL);")
