"""What exports and the dashboard read from the office's certificate register, if it exists.

The register (store.schema_office `certificates`) belongs to the office feature; a store without
it (an older file, a field laptop) simply has no certificates. Only these columns are relied on:
application_id, building_id, kind ('risai' 罹災証明書 / 'hisai' 被災証明書), event ('issue' /
'reissue'), validity ('valid' / 'voided' / 'superseded'), issued_on (YYYY-MM-DD), number_text.
A certificate counts as issued unless voided: a superseded one was issued, then replaced.
"""

from __future__ import annotations

from sqlite_utils import Database

USED_COLUMNS = frozenset({"application_id", "building_id", "kind", "event", "validity",
                          "issued_on", "number_text"})


def available(db: Database) -> bool:
    table = db["certificates"]
    return table.exists() and set(table.columns_dict) >= USED_COLUMNS


def application_certificate_sql(application_alias: str = "a") -> str:
    """SQL giving 「番号（交付日）」 of the application's current 罹災証明書, or NULL."""
    return ("(SELECT number_text || '（' || issued_on || '）' FROM certificates"
            f" WHERE application_id = {application_alias}.id AND kind = 'risai'"
            " AND validity = 'valid' ORDER BY issued_on DESC, rowid DESC LIMIT 1)")


FIRST_ISSUES_SQL = """
SELECT a.id AS application_id, a.received_on, min(c.issued_on) AS issued_on
FROM applications a JOIN certificates c ON c.application_id = a.id
WHERE a.disaster_id = :did AND c.kind = 'risai' AND c.validity <> 'voided'
GROUP BY a.id
"""
