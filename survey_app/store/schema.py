"""The store's schema, changed only through registered migrations (sqlite-utils Migrations).

A migration, once released, is never edited: a change is a new migration appended below.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("survey_app")

_CORE = """
CREATE TABLE disasters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hazard TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    municipality_code TEXT NOT NULL DEFAULT '',
    municipality_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE buildings (
    id TEXT PRIMARY KEY,
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    address TEXT NOT NULL,
    address_key TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    owner_name TEXT NOT NULL DEFAULT '',
    owner_kana TEXT NOT NULL DEFAULT '',
    structure TEXT NOT NULL DEFAULT 'wood',
    floors INTEGER,
    lat REAL,
    lon REAL,
    location_source TEXT,
    location_accuracy_m REAL,
    assigned_to TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_buildings_disaster ON buildings(disaster_id, address);
CREATE INDEX idx_buildings_address_key ON buildings(address_key);

CREATE TABLE surveys (
    id TEXT PRIMARY KEY,
    building_id TEXT NOT NULL REFERENCES buildings(id),
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    stage TEXT NOT NULL,
    hazard TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'unsurveyed',
    surveyor TEXT NOT NULL DEFAULT '',
    previous_survey_id TEXT REFERENCES surveys(id),
    head_version_id TEXT,
    version_count INTEGER NOT NULL DEFAULT 0,
    grade_code TEXT,
    grade TEXT,
    damage_ratio REAL,
    rules_version TEXT,
    address TEXT NOT NULL DEFAULT '',
    applicant TEXT NOT NULL DEFAULT '',
    applicant_kana TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Few indexes on purpose: each one is rewritten whenever a new version moves the head. They
-- cover the searched names so a LIKE walk in address order never has to read the table.
CREATE INDEX idx_surveys_grade
    ON surveys(disaster_id, grade_code, address, applicant, applicant_kana);
CREATE INDEX idx_surveys_address ON surveys(disaster_id, address, applicant, applicant_kana);
CREATE INDEX idx_surveys_building ON surveys(building_id);

CREATE TABLE survey_versions (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    version_no INTEGER NOT NULL,
    base_version_id TEXT REFERENCES survey_versions(id),
    observations TEXT NOT NULL,
    grade_code TEXT,
    grade TEXT,
    damage_ratio REAL,
    rules_version TEXT,
    rules_hash TEXT,
    form_hash TEXT,
    explanation TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (survey_id, version_no)
);
CREATE TRIGGER survey_versions_no_update BEFORE UPDATE ON survey_versions
BEGIN SELECT RAISE(ABORT, 'survey versions are immutable'); END;
CREATE TRIGGER survey_versions_no_delete BEFORE DELETE ON survey_versions
BEGIN SELECT RAISE(ABORT, 'survey versions are immutable'); END;

CREATE TABLE drafts (
    survey_id TEXT PRIMARY KEY REFERENCES surveys(id),
    base_version_id TEXT,
    observations TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE photos (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL DEFAULT '',
    original_name TEXT NOT NULL DEFAULT '',
    taken_at TEXT,
    lat REAL,
    lon REAL,
    altitude REAL,
    direction REAL,
    orientation INTEGER,
    camera TEXT NOT NULL DEFAULT '',
    width INTEGER,
    height INTEGER,
    thumbnail BLOB,
    imported_at TEXT NOT NULL
);
CREATE TABLE survey_photos (
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    sha256 TEXT NOT NULL REFERENCES photos(sha256),
    tag TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    PRIMARY KEY (survey_id, sha256)
);

CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    application_no TEXT NOT NULL,
    building_id TEXT REFERENCES buildings(id),
    applicant_name TEXT NOT NULL,
    applicant_kana TEXT NOT NULL DEFAULT '',
    household_address TEXT NOT NULL,
    damaged_address TEXT NOT NULL,
    members TEXT NOT NULL DEFAULT '[]',
    contact TEXT NOT NULL DEFAULT '',
    cause TEXT NOT NULL DEFAULT '',
    requested_method TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received',
    created_at TEXT NOT NULL,
    UNIQUE (disaster_id, application_no)
);
CREATE INDEX idx_applications_building ON applications(building_id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def run_script(db: Database, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer[:80]!r}")


@migrations()
def m001_core(db: Database) -> None:
    run_script(db, _CORE)


_SURVEY_FTS = """
CREATE VIRTUAL TABLE surveys_fts USING fts5(
    address, applicant, applicant_kana, content='surveys', content_rowid='rowid',
    tokenize='trigram');
CREATE TRIGGER surveys_fts_insert AFTER INSERT ON surveys BEGIN
    INSERT INTO surveys_fts (rowid, address, applicant, applicant_kana)
    VALUES (new.rowid, new.address, new.applicant, new.applicant_kana);
END;
CREATE TRIGGER surveys_fts_delete AFTER DELETE ON surveys BEGIN
    INSERT INTO surveys_fts (surveys_fts, rowid, address, applicant, applicant_kana)
    VALUES ('delete', old.rowid, old.address, old.applicant, old.applicant_kana);
END;
-- Only a change to the searched columns touches the index, not every head update.
CREATE TRIGGER surveys_fts_update AFTER UPDATE OF address, applicant, applicant_kana ON surveys
BEGIN
    INSERT INTO surveys_fts (surveys_fts, rowid, address, applicant, applicant_kana)
    VALUES ('delete', old.rowid, old.address, old.applicant, old.applicant_kana);
    INSERT INTO surveys_fts (rowid, address, applicant, applicant_kana)
    VALUES (new.rowid, new.address, new.applicant, new.applicant_kana);
END;
"""


@migrations()
def m002_fulltext(db: Database) -> None:
    run_script(db, _SURVEY_FTS)
    # Trigram FTS: the default tokenizer sees a whole Japanese address as one token.
    db["buildings"].enable_fts(
        ["address", "owner_name", "owner_kana"], tokenize="trigram", create_triggers=True
    )
    db["applications"].enable_fts(
        ["applicant_name", "applicant_kana", "household_address", "damaged_address",
         "application_no"],
        tokenize="trigram",
        create_triggers=True,
    )


def apply_all(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied (by this call).

    Several connections may open the same fresh file at once (two lanes of the app at start-up,
    a second copy of it, the CLI). So the check and the apply run in one transaction holding
    the write lock from its start (BEGIN IMMEDIATE, which waits for the lock, where a deferred
    transaction upgrading to write fails at once with "database is locked"): whoever gets the
    lock first migrates, the others wait, look again and find nothing left to do. All pending
    migrations commit together or not at all (each in its own savepoint, sqlite-utils' atomic
    nests); the usual open, with nothing pending, never takes the lock."""
    if not migrations.pending(db):
        return []
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        pending = [m.name for m in migrations.pending(db)]  # again, now under the lock
        migrations.apply(db)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return pending


# Feature areas register their migrations on the same set, in this fixed order.
from survey_app.store import (  # noqa: E402,F401
    schema_office,
    schema_registers,
    schema_search,
    schema_sync,
)
