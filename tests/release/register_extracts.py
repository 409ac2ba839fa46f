"""Register extracts as municipal systems write them, made by hypothesis for
test_fuzz_import.py: `register_files()` draws a CSV file (text, encoding) with the rows the
store must hold after importing it and the lines it must report as bad, with why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from survey_app.domain.text import address_key, to_katakana
from survey_app.services.register_mapping import FIELDS

FIELD_ADDRESS = "輪島市門前町道下99番"  # a home entered in the field before the import
# JIS level-1 kanji (cp932-safe), none of them a numeral or an address separator.
KANJI = "河井町鳳至輪島門前道下山田佐藤鈴木高橋田中伊藤渡辺中村小林加藤吉田松本井上森池川原野村岡崎"
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
WIDE = str.maketrans("0123456789.", "０１２３４５６７８９．")
ERAS = (("令和", "R", dt.date(2019, 5, 1)), ("平成", "H", dt.date(1989, 1, 8)),
        ("昭和", "S", dt.date(1926, 12, 25)), ("大正", "T", dt.date(1912, 7, 30)))
STRUCTURES = (("木造", "wood"), ("木造瓦葺2階建", "wood"), ("Ｗ", "wood"), ("軽量鉄骨造", "wood"),
              ("プレハブ", "wood"), ("鉄骨造", "non_wood"), ("ＲＣ造", "non_wood"),
              ("鉄筋コンクリート造", "non_wood"), ("非木造", "non_wood"), ("", "wood"))
USES = (("居宅", "dwelling"), ("専用住宅", "dwelling"), ("共同住宅", "dwelling"),
        ("店舗", "other"), ("倉庫", "other"), ("公民館", "public"), ("", "dwelling"))
SEXES = (("男", "男"), ("女性", "女"), ("1", "男"), ("２", "女"), ("M", "男"), ("f", "女"), ("", ""))
EXTRA_COLUMNS = ("備考", "更新日時", "メモ", "整理番号2", "col_x")
# Broken cells, each with a piece of the reason the import must give.
BAD_CELLS = {
    "floors": [("二階?", "階数"), ("1.5", "階数"), ("inf", "階数"), ("-2", "範囲外"),
               ("1e30", "範囲外")],
    "floor_area": [("nan", "床面積"), ("広い", "床面積"), ("-5", "範囲外")],
    "lat": [("95.5", "範囲外")],
    "structure": [("謎の構造", "木造・非木造")],
    "use": [("宇宙船", "住家・非住家")],
    "birth_date": [("令和5年2月30日", "日付"), ("平成元年13月1日", "日付"), ("S50.1", "日付"),
                   ("1975-02-30", "日付"), ("2024/13/01", "日付"), ("19751301", "日付"),
                   ("昭和", "日付"), ("明日", "日付")],
    "sex": [("不詳", "性別")],
}


@dataclass
class Sample:
    kind: str
    text: str
    encoding: str
    valid: list[tuple] = field(default_factory=list)    # what the store must hold, per row
    bad: list[tuple[int, str]] = field(default_factory=list)   # (line, piece of the reason)
    records: int = 0

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.kind}.csv"
        path.write_bytes(self.text.encode(self.encoding))
        return path


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def spelled(draw, name: str) -> str:
    """The alias as an extract may write it: as is, with a stray space, in another case."""
    how = draw(st.sampled_from(["as is", "space", "case", "padded"]))
    if how == "space" and len(name) > 1:
        at = draw(st.integers(1, len(name) - 1))
        return name[:at] + draw(st.sampled_from([" ", "　"])) + name[at:]
    if how == "case" and name.isascii():
        return draw(st.sampled_from([name.upper(), name.lower(), name.title()]))
    return f" {name} " if how == "padded" else name


def digits(draw, number: str) -> str:
    return number.translate(WIDE) if draw(st.booleans()) else number


def words(draw, pool: str, low: int = 1, high: int = 4) -> str:
    return draw(st.text(alphabet=pool, min_size=low, max_size=high))


def era_date(draw, day: dt.date) -> str:
    """The date as 和暦 (昭和50年1月2日, S50.1.2, 平成元年…) or 西暦 (1975-01-02, 19750102…)."""
    style = draw(st.sampled_from(["kanji", "initial", "iso", "slash", "kanji-west", "compact"]))
    if style in ("kanji", "initial"):
        name, initial, start = next(e for e in ERAS if day >= e[2])
        year = day.year - start.year + 1
        y = "元" if year == 1 and style == "kanji" and draw(st.booleans()) else str(year)
        if style == "kanji":
            return f"{name}{y}年{day.month}月{day.day}日"
        return f"{initial}{y}{draw(st.sampled_from('./-'))}{day.month}.{day.day}"
    return {"iso": day.isoformat(), "slash": f"{day.year}/{day.month}/{day.day}",
            "kanji-west": f"{day.year}年{day.month}月{day.day}日",
            "compact": day.strftime("%Y%m%d")}[style]


def building_row(draw, i: int, cols: set[str]) -> tuple[dict[str, str], tuple]:
    """The cells of a valid building row and the row the store must then hold."""
    c: dict[str, str] = {"address": f"輪島市{words(draw, KANJI)}{digits(draw, str(i))}番"
                         + draw(st.sampled_from(["", "地", "（離れ）", "\n倉庫", "、物置"]))}
    c["kaoku_no"] = digits(draw, f"{i:05d}")
    c["owner_name"] = words(draw, KANJI, 0, 2) + draw(st.sampled_from(["", "　", " "])) \
        + words(draw, KANJI, 1, 2)
    c["owner_kana"] = words(draw, KANA, 0, 6)
    c["area"] = words(draw, KANJI, 0, 3) + draw(st.sampled_from(["", ",東", '"西"']))
    structure, c["structure"] = draw(st.sampled_from(STRUCTURES))[::-1]
    floors = draw(st.none() | st.integers(1, 60))
    c["floors"] = "" if floors is None else digits(draw, str(floors)) + draw(
        st.sampled_from(["", "階", "階建", "階建て"]))
    cents = draw(st.integers(100, 99_999_999))
    c["floor_area"] = digits(draw, f"{cents // 100:,}.{cents % 100:02d}") + draw(
        st.sampled_from(["", "㎡", "m2"]))
    use_class, c["use"] = draw(st.sampled_from(USES))[::-1]
    lat, lon = draw(st.integers(24_000_000, 45_999_999)), draw(st.integers(122_000_000,
                                                                          153_999_999))
    located = "lat" in cols and draw(st.booleans())
    c["lat"] = digits(draw, f"{lat / 1e6:.6f}") if located else ""
    c["lon"] = digits(draw, f"{lon / 1e6:.6f}") if located else ""
    get = {k: (v.strip() if k in cols else "") for k, v in c.items()}
    owner = get["owner_name"]
    key = (f"kaoku:{nfkc(get['kaoku_no'])}" if get["kaoku_no"] else
           f"addr:{address_key(nfkc(get['address']))}|{owner.replace(' ', '').replace('　', '')}")
    expected = (nfkc(get["address"]), owner, to_katakana(get["owner_kana"]), get["area"],
                structure if get["structure"] else "wood", floors if get["floors"] else None,
                lat / 1e6 if located else None, lon / 1e6 if located else None,
                "register" if located else None, key, nfkc(get["kaoku_no"]),
                use_class if get["use"] else "dwelling",
                float(f"{cents // 100}.{cents % 100:02d}") if get["floor_area"] else None)
    return c, expected


def resident_row(draw, i: int, cols: set[str], building_id: str) -> tuple[dict[str, str], tuple]:
    at_field_home = "resident_code" in cols and draw(st.integers(0, 4)) == 0
    c = {"resident_code": digits(draw, f"{i:09d}"), "household_no": digits(draw, str(i % 3 + 1)),
         "name": words(draw, KANJI, 1, 2) + draw(st.sampled_from(["", "　"]))
         + words(draw, KANJI, 1, 2), "kana": words(draw, KANA, 0, 6),
         "relation": draw(st.sampled_from(["世帯主", "妻", "子", ""])),
         "address": (FIELD_ADDRESS.replace("99", "９９") + "地" if at_field_home
                     else f"輪島市{words(draw, KANJI)}{digits(draw, str(i))}番")}
    day = draw(st.none() | st.dates(dt.date(1912, 7, 30), dt.date(2024, 12, 31)))
    c["birth_date"] = "" if day is None else era_date(draw, day)
    sex, c["sex"] = draw(st.sampled_from(SEXES))[::-1]
    get = {k: (v.strip() if k in cols else "") for k, v in c.items()}
    birth = day.isoformat() if day and get["birth_date"] else ""
    address = nfkc(get["address"])
    name = get["name"]
    key = (f"code:{nfkc(get['resident_code'])}" if get["resident_code"] else
           f"person:{address_key(address)}|{name.replace(' ', '').replace('　', '')}|{birth}")
    expected = (key, nfkc(get["household_no"]), name, to_katakana(get["kana"]), birth,
                sex if get["sex"] else "", get["relation"], address,
                building_id if at_field_home else None)
    return c, expected


def broken(draw, kind: str, cells: dict[str, str], cols: set[str], earlier: list[dict]
           ) -> tuple[dict[str, str] | None, str]:
    """A broken copy of a row (None: add a cell) and a piece of the reason it must get."""
    required = "address" if kind == "buildings" else "name"
    others = [k for k in cols if k != required and cells[k].strip()]
    choices = [*(k for k in BAD_CELLS if k in cols for _ in range(2)), "columns", "nul"]
    choices += ["empty"] * 2 * bool(others) + ["repeat"] * 2 * bool(earlier)
    what = draw(st.sampled_from(choices))
    if what == "nul":
        return {**cells, "address": cells["address"] + "\x00"}, "NUL"
    if what == "columns":
        return None, "列の数"
    if what == "empty":
        return {**cells, required: ""}, "所在地" if kind == "buildings" else "氏名"
    if what == "repeat":
        return dict(draw(st.sampled_from(earlier))), "同じ建物・人"
    value, reason = draw(st.sampled_from(BAD_CELLS[what]))
    if what == "lat" and draw(st.booleans()):
        return {**cells, "lat": "36.5", "lon": ""}, "緯度と経度"
    return {**cells, what: value, **({"lon": "136.9"} if what == "lat" else {})}, reason


@st.composite
def register_files(draw, building_id: str = "") -> Sample:
    kind = draw(st.sampled_from(["buildings", "residents"]))
    known = {f.key: f for f in FIELDS[kind]}
    cols = {k for k, f in known.items() if f.required or draw(st.booleans())}
    if "lat" in cols or "lon" in cols:
        cols |= {"lat", "lon"}
    extras = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), unique=True, max_size=2))
    order = draw(st.permutations([*sorted(cols), *extras]))
    header = [spelled(draw, draw(st.sampled_from(known[k].synonyms))) if k in known else k
              for k in order]
    sample = Sample(kind, "", draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"])))
    out = io.StringIO()
    writer = csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
                        lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    writer.writerow(header)
    earlier: list[dict] = []
    for i in range(1, draw(st.integers(0, 12)) + 1):
        if draw(st.integers(0, 5)) == 0:
            out.write(writer.dialect.lineterminator)   # a blank line: skipped, still counted
        cells, expected = (building_row(draw, i, cols) if kind == "buildings"
                           else resident_row(draw, i, cols, building_id))
        line = out.getvalue().count("\n") + 1
        row = [cells.get(k, "") if k in known else words(draw, KANJI + ",\"\n", 0, 5)
               for k in order]
        if draw(st.integers(0, 3)) == 0:
            bad_cells, reason = broken(draw, kind, cells, cols, earlier)
            row = row + ["余分"] if bad_cells is None else [bad_cells.get(k, v) for k, v
                                                            in zip(order, row, strict=True)]
            sample.bad.append((line, reason))
        else:
            sample.valid.append(expected)
            earlier.append(cells)
        writer.writerow(row)
        sample.records += 1
    sample.text = out.getvalue()
    return sample
