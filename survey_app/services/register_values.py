"""Reading the values of register extracts: full-width digits, units, Japanese era dates and
the words municipal systems use for structure, use and sex.

Each parser returns the value or raises ValueError with a catalogue message naming the field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from survey_app.i18n import tr

# Era name / initial → first Gregorian year (元年 = year 1 of the era).
ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
        "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}
_ERA_DATE = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})"
                       r"\s*[月./-]\s*(\d{1,2})\s*日?$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_UNITS = re.compile(r"(階建?て?|㎡|m2|m²|平方メートル|cm|m)$")
# Structure: wood includes prefab and light steel frame (observations.schema.json "wood").
_WOOD = ("木", "プレハブ", "軽量鉄骨", "軽鉄", "W")
_NON_WOOD = ("鉄骨", "鉄筋", "コンクリート", "RC", "SRC", "S造", "ブロック", "れんが", "レンガ",
             "石造")
_DWELLING = ("住宅", "居宅", "共同住宅", "併用住宅", "アパート", "マンション", "寄宿舎", "住家",
             "長屋", "専用住宅")
_PUBLIC = ("庁舎", "役場", "学校", "公民館", "官公署", "公共", "集会所", "公立", "市役所",
           "町役場", "村役場")
_OTHER = ("倉庫", "車庫", "物置", "店舗", "事務所", "工場", "作業場", "納屋", "土蔵", "附属",
          "付属", "畜舎", "非住家", "小屋", "駐車場")


def clean(text: str) -> str:
    """NFKC (full-width digits and letters to half width) and surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def number(field: str, text: str, *, integer: bool = False, low: float | None = None,
           high: float | None = None) -> float | int | None:
    value = _UNITS.sub("", clean(text).replace(",", "")).strip()
    if not value:
        return None
    try:
        parsed = float(value)
    except ValueError:
        raise ValueError(tr("exports.import.bad_number", field=field, value=text)) from None
    # "nan", "inf" and "1e400" parse as floats but are no measurement.
    if not math.isfinite(parsed) or (integer and parsed != int(parsed)):
        raise ValueError(tr("exports.import.bad_number", field=field, value=text))
    if (low is not None and parsed < low) or (high is not None and parsed > high):
        raise ValueError(tr("exports.import.number_range", field=field, value=text,
                            low=low, high=high))
    return int(parsed) if integer else parsed


def date(field: str, text: str) -> str:
    """ISO date from 1975-01-02, 1975/1/2, 19750102, 昭和50年1月2日, S50.1.2 and the like."""
    value = clean(text).replace(" ", "")
    if not value:
        return ""
    try:
        if m := _ERA_DATE.match(value):
            era, year, month, day = m.groups()
            year_no = 1 if year == "元" else int(year)
            return dt.date(ERAS[era] + year_no - 1, int(month), int(day)).isoformat()
        if m := _DATE.match(value):
            return dt.date(*(int(g) for g in m.groups())).isoformat()
        if re.fullmatch(r"\d{8}", value):
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        pass  # e.g. 2月30日: reported below like any unreadable date
    raise ValueError(tr("exports.import.bad_date", field=field, value=text))


def sex(field: str, text: str) -> str:
    value = clean(text).upper()
    if value in ("", "不明", "0", "9"):
        return ""
    if value in ("男", "男性", "M", "1", "MALE"):
        return "男"
    if value in ("女", "女性", "F", "2", "FEMALE"):
        return "女"
    raise ValueError(tr("exports.import.bad_choice", field=field, value=text))


def structure(field: str, text: str) -> str | None:
    value = clean(text).upper()
    if not value:
        return None
    if "非木" in value:
        return "non_wood"
    # Prefab and light steel frame first: their words contain 鉄骨 but they count as wood.
    if any(w.upper() in value for w in _WOOD if w != "W") or value == "W":
        return "wood"
    if any(w.upper() in value for w in _NON_WOOD):
        return "non_wood"
    raise ValueError(tr("exports.import.bad_structure", field=field, value=text))


def use_class(field: str, text: str) -> str:
    value = clean(text)
    if not value:
        return "dwelling"
    for words, code in ((_DWELLING, "dwelling"), (_PUBLIC, "public"), (_OTHER, "other")):
        if any(w in value for w in words):
            return code
    raise ValueError(tr("exports.import.bad_use", field=field, value=text))
