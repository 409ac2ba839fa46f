"""Every office message exists in Japanese and English with the same placeholders, and every
key the code asks for is in the catalogue."""

from __future__ import annotations

import re
import string
import tomllib
from itertools import product
from pathlib import Path

from survey_app.i18n import _flatten

REPO = Path(__file__).resolve().parents[2]
SOURCES = [*REPO.glob("survey_app/services/office*.py"), *REPO.glob("survey_app/cli/office_cmd*.py"),
           *REPO.glob("survey_app/certificates/*.py"), *REPO.glob("survey_app/ui/office/*.py")]
# Keys built at run time from a fixed set of values.
BUILT = {
    "register_{}": ("already_issued", "not_reissuable", "not_voidable"),
    "qr_{}": ("voided", "superseded"),
    "stage_{}": ("first", "second", "resurvey"),
    "survey_status_{}": ("unsurveyed", "draft", "completed", "resurvey_requested"),
    "request_{}": ("requested", "reissued", "withdrawn"),
    "print_status_{}": ("allocated", "printed"),
    "ui.validity_{}": ("valid", "voided", "superseded"),
    "ui.done_{}": ("issued", "voided", "requested"),
    "ui.button_{}": ("issue", "hisai", "reissue", "void", "resurvey", "close"),
    "ui.col_{}": ("application_no", "applicant_name", "damaged_address", "certificate"),
}


def catalogue(lang: str) -> dict[str, str]:
    with (REPO / "resources" / "i18n" / lang / "office.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_japanese_and_english_match():
    ja, en = catalogue("ja"), catalogue("en")
    assert set(ja) == set(en)
    assert {k: fields(v) for k, v in ja.items()} == {k: fields(v) for k, v in en.items()}


def test_every_key_in_use_exists():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r'tr\(f?"office\.([a-z_.0-9]+)"', path.read_text("utf-8")))
    for pattern, values in BUILT.items():
        used |= {pattern.format(v) for v in values}
    used |= {f"history_{e}_{k}" for e, k in product(("issue", "reissue"), ("risai", "hisai"))}
    used |= {f"cli.extra{i}" for i in (1, 2, 3)}
    assert len(used) > 60
    assert used - set(catalogue("ja")) == set()
