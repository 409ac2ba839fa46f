"""Loading municipal sub-bands (forms/local/*.json) into domain LocalBands."""

from __future__ import annotations

from pathlib import Path

from survey_app.domain.local_bands import LocalBand, LocalBands
from survey_app.i18n import tr
from survey_app.rules.errors import RulesError
from survey_app.rules.files import read_checked


def load_local_bands(folder: Path, schema: Path) -> dict[str, LocalBands]:
    found: dict[str, LocalBands] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        data = read_checked(path, schema)
        if data["id"] != path.stem:
            raise RulesError(tr("rules.id_mismatch", path=path, id=data["id"]))
        bands = tuple(LocalBand(b["code"], b["label"], b["min_ratio_percent"], b.get("label_en", ""))
                      for b in data["bands"])
        minima = [b.min_ratio for b in bands]
        if minima != sorted(minima, reverse=True) or minima[-1] != 0:
            raise RulesError(tr("rules.inconsistent", path=path, reason="bands: highest first, last at 0"))
        found[data["id"]] = LocalBands(data["id"], data["title"], data["grade"], bands,
                                       data.get("title_en", ""))
    return found
