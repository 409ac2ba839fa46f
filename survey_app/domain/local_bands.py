"""Municipal sub-bands of one national grade (e.g. 一部損壊 <5 % / 5–10 %) for local top-up aid.

They add a label next to the national grade and never change it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from survey_app.domain.grades import EPS
from survey_app.domain.judgement import Judgement
from survey_app.domain.messages import Label


@dataclass(frozen=True, slots=True)
class LocalBand:
    code: str
    label: str
    min_ratio: float
    label_en: str = ""


@dataclass(frozen=True, slots=True)
class LocalBands:
    id: str
    title: str
    grade_code: str
    bands: tuple[LocalBand, ...]  # highest minimum first; the last one starts at 0
    title_en: str = ""

    def find(self, ratio: float) -> LocalBand | None:
        for band in self.bands:
            if ratio >= band.min_ratio - EPS:
                return band
        return None


def apply_local_bands(judgement: Judgement, local: LocalBands) -> Judgement:
    """The judgement with `local_band` set when its national grade is the one `local` subdivides."""
    if judgement.grade_code != local.grade_code:
        return judgement
    ratio = judgement.damage_ratio_percent
    band = local.find(ratio) if ratio is not None else None
    if band is None:
        entry = ("local_band_none", {"title": Label(local.title, local.title_en)})
        return replace(judgement, entries=judgement.entries + (entry,))
    entry = ("local_band", {"title": Label(local.title, local.title_en), "label": band})
    return replace(
        judgement,
        entries=judgement.entries + (entry,),
        local_band={"id": local.id, "code": band.code, "label": band.label},
    )
