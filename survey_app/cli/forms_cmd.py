"""`survey-app forms`: list the rule versions, survey forms and municipal sub-bands in forms/."""

from __future__ import annotations

import argparse
import json
from typing import Any

from survey_app.cli import CliError
from survey_app.i18n import tr
from survey_app.rules import Rulebook, RulesError, default_rulebook

HAZARD_ORDER = ("earthquake", "flood", "wind", "liquefaction")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("forms", help=tr("forms.help"), description=tr("forms.description"))
    parser.add_argument("--json", action="store_true", help=tr("forms.json_help"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        book = default_rulebook()
    except RulesError as err:
        raise CliError(str(err), 1) from None
    listing = describe(book)
    if args.json:
        print(json.dumps(listing, ensure_ascii=False, indent=2))
    else:
        print("\n".join(text_lines(listing)))
    return 0


def describe(book: Rulebook) -> dict[str, Any]:
    forms = book.forms.hazards if book.forms else {}
    return {
        "rule_sets": [
            {
                "version": r.version, "title": r.title, "effective_from": r.effective_from.isoformat(),
                "data_revision": r.data_revision,
                "hazards": [h for h in HAZARD_ORDER if h in r.hazards],
                "sha256": r.sha256, "unconfirmed_count": r.unconfirmed_count,
                "scoring_method": r.scoring.method,
            }
            for r in book.rule_sets
        ],
        "forms": [
            {"hazard": h, "label": f["label"],
             "stages": [{"stage": s["stage"], "label": s["label"]} for s in f["stages"]]}
            for h, f in sorted(forms.items(), key=lambda item: HAZARD_ORDER.index(item[0]))
        ],
        "local_bands": [
            {"id": b.id, "title": b.title, "grade": b.grade_code} for b in book.local_bands.values()
        ],
    }


def text_lines(listing: dict[str, Any]) -> list[str]:
    lines = [tr("forms.rules_heading"), tr("forms.rules_columns")]
    for r in listing["rule_sets"]:
        hazards = "・".join(tr(f"engine.hazard_{h}") for h in r["hazards"])
        lines.append(tr("forms.rules_row", version=r["version"], effective=r["effective_from"],
                        hazards=hazards, hash=r["sha256"][:12], unconfirmed=r["unconfirmed_count"]))
    lines += ["", tr("forms.forms_heading")]
    for f in listing["forms"]:
        stages = "、".join(s["label"] for s in f["stages"])
        lines.append(tr("forms.forms_row", label=f["label"], stages=stages))
    if listing["local_bands"]:
        lines += ["", tr("forms.local_heading")]
        lines += [tr("forms.local_row", id=b["id"], title=b["title"]) for b in listing["local_bands"]]
    return lines
