"""Keys for spotting a second application for the same home or the same household.

`text.address_key` already folds widths, kanji numerals and 丁目/番地/号. Applications are written
by hand at a counter, so this adds what people also vary there: a postal code in front, the
prefecture left out, 大字/字, ヶ/ケ/が, ノ/之 as the number joiner, and old or variant kanji in
family names (髙/高, 﨑/崎). The keys only raise a flag for staff to look at; they never merge
or refuse anything, so folding a little too much is the safer mistake.
"""

from __future__ import annotations

import re
import unicodedata

from survey_app.domain.text import address_key, to_katakana

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)
_POSTAL = re.compile(r"^〒?\s*\d{3}\s*-?\s*\d{4}\s*")
_PREFECTURE = re.compile("^(" + "|".join(PREFECTURES) + ")")
_KA = str.maketrans({"ヶ": "ケ", "ケ": "ケ", "が": "ケ", "ガ": "ケ", "ヵ": "ケ", "之": "の",
                     "ノ": "の"})
# Variant kanji common in family names; mapped to the form most people type.
_NAME_VARIANTS = str.maketrans({
    "髙": "高", "﨑": "崎", "嵜": "崎", "邊": "辺", "邉": "辺", "齋": "斎",
    "齊": "斉", "澤": "沢", "濱": "浜", "廣": "広", "國": "国", "櫻": "桜", "瀨": "瀬",
    "惠": "恵", "眞": "真", "冨": "富", "德": "徳", "槇": "槙", "籠": "篭", "曾": "曽",
})
_NAME_DROP = re.compile(r"[\s・･=＝]+")


def home_key(address: str) -> str:
    """One key per home however its address is written (see the module docstring)."""
    text = unicodedata.normalize("NFKC", address).strip()
    text = _POSTAL.sub("", text)
    text = re.sub(r"\s+", "", text)
    text = _PREFECTURE.sub("", text)
    text = text.replace("大字", "").replace("字", "")
    text = text.translate(_KA)
    return address_key(text)


def name_key(name: str) -> str:
    """Family and given name without spaces, variant kanji folded, kana as katakana."""
    text = unicodedata.normalize("NFKC", name)
    text = _NAME_DROP.sub("", text).translate(_NAME_VARIANTS)
    return to_katakana(text)


def household_key(name: str, household_address: str) -> str:
    """A household: its head's name at its address."""
    return name_key(name) + "@" + home_key(household_address)


def same_home(a: str, b: str) -> bool:
    return home_key(a) == home_key(b)
