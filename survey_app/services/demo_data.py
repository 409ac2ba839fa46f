"""Plausible, reproducible demo content: a town, its households and what the surveyors saw.

Place names are real districts of 益城町 (熊本県) with approximate centres; people are invented.
"""

from __future__ import annotations

import random

TOWN = {"prefecture": "熊本県", "county": "上益城郡", "name": "益城町", "code": "434434"}
AREAS = [  # (district, latitude, longitude) — approximate centres
    ("宮園", 32.7917, 130.8150), ("木山", 32.7866, 130.8170), ("安永", 32.7950, 130.8040),
    ("惣領", 32.7893, 130.8098), ("寺迫", 32.7810, 130.8230), ("福富", 32.7720, 130.8120),
    ("広崎", 32.7990, 130.8000), ("馬水", 32.7830, 130.8300), ("島田", 32.7740, 130.8010),
    ("古閑", 32.7780, 130.8390),
]
SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("髙橋", "タカハシ"), ("田中", "タナカ"),
            ("渡辺", "ワタナベ"), ("中村", "ナカムラ"), ("松本", "マツモト"), ("井上", "イノウエ"),
            ("坂本", "サカモト"), ("村上", "ムラカミ"), ("緒方", "オガタ"), ("山﨑", "ヤマサキ"),
            ("西村", "ニシムラ"), ("吉田", "ヨシダ"), ("荒木", "アラキ"), ("永田", "ナガタ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("美咲", "ミサキ"),
         ("健太", "ケンタ"), ("陽子", "ヨウコ"), ("浩二", "コウジ"), ("恵子", "ケイコ"),
         ("翔", "ショウ"), ("千尋", "チヒロ"), ("勝", "マサル"), ("節子", "セツコ")]
# Team names double as server user names, which may not contain spaces (assignments list them
# separated by spaces or commas).
SURVEYORS = ["益城町第1班", "益城町第2班", "熊本市応援第3班", "名古屋市応援第4班", "福岡市応援第5班"]
DEGREES = ("I", "II", "III", "IV", "V")


def person(rng: random.Random) -> tuple[str, str]:
    (sur, sur_kana), (given, given_kana) = rng.choice(SURNAMES), rng.choice(GIVEN)
    return f"{sur} {given}", f"{sur_kana} {given_kana}"


def household(rng: random.Random, head: str) -> list[dict]:
    """The head and 0–4 members sharing the surname: spouse, children, then a parent."""
    surname = head.split()[0]
    relations = ("妻", "子", "子", "母")[: rng.randint(0, 4)]
    return [{"name": head, "relation": "世帯主"}] + [
        {"name": f"{surname} {rng.choice(GIVEN)[0]}", "relation": r} for r in relations]


def address(rng: random.Random, area: str) -> str:
    if rng.random() < 0.5:
        return (f"{TOWN['prefecture']}{TOWN['county']}{TOWN['name']}{area}"
                f"{rng.randint(1, 4)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号")
    return f"{TOWN['prefecture']}{TOWN['county']}{TOWN['name']}大字{area}{rng.randint(1, 2500)}番地"


def position(rng: random.Random, lat: float, lon: float) -> tuple[float, float]:
    return round(lat + rng.gauss(0, 0.0025), 6), round(lon + rng.gauss(0, 0.003), 6)


def _damage(rng: random.Random, severity: float) -> list[dict]:
    """Damage rows for one component; `severity` 0..1 shifts degree and area upwards."""
    rows, left = {}, 100
    for _ in range(rng.randint(1, 2)):
        degree = DEGREES[min(4, int(rng.random() * 3 + severity * 3))]
        share = min(left, rng.choice((10, 20, 30, 40, 50, 60, 80, 100)))
        if share <= 0 or degree in rows:
            break
        rows[degree] = share
        left -= share
    return [{"degree": d, "area_percent": a} for d, a in rows.items()]


def earthquake_observations(rng: random.Random, when: str, *, stage: str) -> dict:
    severity = rng.random() ** 1.6
    obs: dict = {"hazard": "earthquake", "stage": stage, "structure": "wood",
                 "disaster_date": when}
    if severity > 0.97:
        obs["appearance"] = {"total_collapse": True, "storey_collapse": False}
        return obs
    lean = 6.5 if severity > 0.93 else round(rng.uniform(0, 3) * severity, 1)
    obs["inclination"] = {"offsets_cm": [round(max(0, lean + rng.uniform(-0.4, 0.4)), 1)
                                         for _ in range(4)], "plumb_cm": 120}
    parts = ("roof", "exterior_wall") if stage == "first" else (
        "roof", "columns", "floors", "exterior_wall", "interior_wall", "ceilings", "fittings",
        "services")
    obs["components"] = {code: {"degrees": _damage(rng, severity)} for code in parts
                         if rng.random() < 0.35 + severity}
    obs["components"]["foundation"] = {"damaged_length_m": round(30 * severity *
                                                                 rng.random(), 1),
                                       "perimeter_m": 30}
    return obs


def flood_observations(rng: random.Random, when: str) -> dict:
    external = rng.random() < 0.4
    obs: dict = {"hazard": "flood", "stage": "first", "structure": "wood", "disaster_date": when}
    if external and rng.random() < 0.03:
        obs["appearance"] = {"washed_away": True}
        return obs
    if rng.random() < 0.3:
        obs["flood"] = {"external_force": external, "below_floor_only": True}
    else:
        obs["flood"] = {"external_force": external,
                        "depth_above_floor_cm": round(rng.uniform(1, 220) * rng.random(), 0) + 1}
    return obs
