"""Migrations for the office part of the store (registered on the same migration set, after core).

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from survey_app.store.schema import migrations, run_script  # noqa: F401

_OFFICE = """
CREATE TABLE certificate_numbers (
    series TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    last_no INTEGER NOT NULL,
    PRIMARY KEY (series, municipality_code, disaster_id)
);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    municipality_code TEXT NOT NULL,
    number INTEGER NOT NULL,
    number_text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('risai', 'hisai')),
    event TEXT NOT NULL CHECK (event IN ('issue', 'reissue')),
    building_id TEXT REFERENCES buildings(id),
    application_id TEXT REFERENCES applications(id),
    survey_id TEXT REFERENCES surveys(id),
    survey_version_id TEXT REFERENCES survey_versions(id),
    survey_content_hash TEXT,
    grade_code TEXT,
    grade TEXT,
    previous_id TEXT REFERENCES certificates(id),
    reason TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    print_status TEXT NOT NULL DEFAULT 'allocated' CHECK (print_status IN ('allocated', 'printed')),
    pdf_path TEXT,
    pdf_page INTEGER,
    printed_at TEXT,
    print_count INTEGER NOT NULL DEFAULT 0,
    validity TEXT NOT NULL DEFAULT 'valid' CHECK (validity IN ('valid', 'voided', 'superseded')),
    superseded_by TEXT REFERENCES certificates(id),
    voided_at TEXT,
    voided_by TEXT,
    void_reason TEXT,
    UNIQUE (municipality_code, disaster_id, number)
);
CREATE INDEX idx_certificates_application ON certificates(application_id, kind, validity);
CREATE INDEX idx_certificates_building ON certificates(building_id);
CREATE INDEX idx_certificates_print ON certificates(disaster_id, print_status);
-- A number, once given, stays in the register for good: no delete, and what was certified
-- (number, content, hash) never changes; only print state and validity move on.
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates
BEGIN SELECT RAISE(ABORT, 'the certificate register is append-only'); END;
CREATE TRIGGER certificates_fixed_content BEFORE UPDATE OF
    id, disaster_id, municipality_code, number, number_text, kind, event, building_id,
    application_id, survey_id, survey_version_id, survey_content_hash, grade_code, grade,
    previous_id, reason, issued_on, issued_by, issued_at, payload, entry_hash ON certificates
BEGIN SELECT RAISE(ABORT, 'a certificate register entry cannot be rewritten'); END;

CREATE TABLE application_keys (
    application_id TEXT PRIMARY KEY REFERENCES applications(id),
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    home_key TEXT NOT NULL,
    household_key TEXT NOT NULL,
    name_key TEXT NOT NULL
);
CREATE INDEX idx_application_keys_home ON application_keys(disaster_id, home_key);
CREATE INDEX idx_application_keys_household ON application_keys(disaster_id, household_key);

CREATE TABLE application_flags (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL REFERENCES applications(id),
    flag TEXT NOT NULL CHECK (flag IN ('same_home', 'same_household')),
    related_application_id TEXT NOT NULL REFERENCES applications(id),
    created_at TEXT NOT NULL
);
CREATE INDEX idx_application_flags_app ON application_flags(application_id);

CREATE TABLE resurvey_requests (
    id TEXT PRIMARY KEY,
    disaster_id TEXT NOT NULL REFERENCES disasters(id),
    building_id TEXT NOT NULL REFERENCES buildings(id),
    application_id TEXT REFERENCES applications(id),
    certificate_id TEXT REFERENCES certificates(id),
    previous_survey_id TEXT NOT NULL REFERENCES surveys(id),
    new_survey_id TEXT REFERENCES surveys(id),
    requested_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'reissued', 'withdrawn')),
    reissued_certificate_id TEXT REFERENCES certificates(id),
    received_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_resurvey_building ON resurvey_requests(building_id);
"""


@migrations()
def m100_office_certificates(db) -> None:
    run_script(db, _OFFICE)
