"""The column dictionary of the building list (CSV / XLSX) and the labels of coded values.

Headers and labels are part of the file format (the office's Excel sheets and macros rely on
them), so they are fixed Japanese text here, not UI messages that follow the UI language.
docs/exports.md repeats this dictionary with English names; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from survey_app.exports.source import EXPR, local_time

STATUS_LABELS = {"none": "調査予定なし", "unsurveyed": "未調査", "draft": "調査中",
                 "completed": "調査済", "resurvey_requested": "再調査依頼中"}
STAGE_LABELS = {"first": "第1次調査", "second": "第2次調査", "resurvey": "再調査"}
HAZARD_LABELS = {"earthquake": "地震", "flood": "水害", "wind": "風害",
                 "liquefaction": "液状化等の地盤被害"}
STRUCTURE_LABELS = {"wood": "木造・プレハブ", "non_wood": "非木造"}
USE_LABELS = {"dwelling": "住家", "public": "非住家（公共建物）", "other": "非住家（その他）"}
FLOOD_LABELS = {"above": "床上浸水", "below": "床下浸水"}
FDMA_LABELS = {"zenkai": "全壊", "hankai": "半壊", "yukaue": "床上浸水", "yukashita": "床下浸水",
               "ichibu": "一部破損", "hijuka_public": "非住家（公共建物）",
               "hijuka_other": "非住家（その他）"}
LOCATION_LABELS = {"exif": "写真の位置情報", "gnss": "端末のGNSS", "map": "地図で指定",
                   "register": "台帳"}
HOUSEHOLD_NOTE = "申請の世帯員数。申請がなければ住民基本台帳、なければ1世帯・人数不明"


@dataclass(frozen=True)
class Column:
    key: str                 # the named expression in exports.source.EXPR
    ja: str                  # the header written to the file
    en: str
    kind: str = "text"       # text (free input) | label (fixed words) | number | datetime
    meaning: str = ""
    labels: dict[str, str] = field(default_factory=dict)

    def sql(self) -> str:
        """The SQL giving this column's value as written (labels and local time applied)."""
        expr = EXPR[self.key]
        if self.kind == "datetime":
            return local_time(expr)
        if self.labels:
            return label_sql(expr, self.labels)
        return expr


def label_sql(expr: str, labels: dict[str, str]) -> str:
    """CASE mapping codes to labels; an unknown code is written as it is (never lost)."""
    whens = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in labels.items())
    return f"(CASE {expr} {whens} ELSE {expr} END)"


BUILDING_COLUMNS: tuple[Column, ...] = (
    Column("building_id", "建物ID", "building ID", "label", "アプリ内の建物の識別子"),
    Column("kaoku_no", "家屋番号", "house number (tax register)", "text",
           "家屋課税台帳から取り込んだ場合の家屋番号"),
    Column("address", "所在地", "address", "text", "被災住家の所在地"),
    Column("area", "地区", "district", "text", "調査の割り振りに使う地区名"),
    Column("owner_name", "所有者氏名", "owner", "text", "所有者又は世帯主の氏名"),
    Column("owner_kana", "所有者フリガナ", "owner (kana)", "text", "カタカナ"),
    Column("structure", "構造", "structure", "label", "木造・プレハブ／非木造",
           STRUCTURE_LABELS),
    Column("floors", "階数", "storeys", "number", "地上階数"),
    Column("use_class", "用途区分", "use", "label",
           "住家／非住家（公共建物・その他）。台帳の用途から。既定は住家", USE_LABELS),
    Column("lat", "緯度", "latitude", "number", "世界測地系 (WGS84)、10進度"),
    Column("lon", "経度", "longitude", "number", "世界測地系 (WGS84)、10進度"),
    Column("location_source", "位置の出典", "location source", "label",
           "写真の位置情報／端末のGNSS／地図で指定／台帳", LOCATION_LABELS),
    Column("status", "調査状況", "survey status", "label",
           "最も新しい調査の状況", STATUS_LABELS),
    Column("survey_id", "調査ID", "survey ID", "label", "現在の判定を出した調査の識別子"),
    Column("stage", "調査段階", "survey stage", "label", "現在の判定を出した調査の段階",
           STAGE_LABELS),
    Column("hazard", "災害の種類", "hazard", "label", "地震・水害・風害・液状化等",
           HAZARD_LABELS),
    Column("grade", "被害の程度", "damage grade", "label", "現在の判定（6区分）"),
    Column("grade_code", "被害の程度コード", "grade code", "label",
           "zenkai / daikibo / chukibo / hankai / junhankai / ichibu"),
    Column("damage_ratio", "損害割合(%)", "damage ratio (%)", "number",
           "住家の主要な構成要素の経済的被害の割合。浸水深・外観で判定した場合は空欄のことがある"),
    Column("flood", "浸水区分", "flooding", "label", "床上浸水／床下浸水（水害の調査のみ）",
           FLOOD_LABELS),
    Column("flood_depth_cm", "床上浸水深(cm)", "depth above floor (cm)", "number",
           "最も浅い部分で測った床上の浸水深"),
    Column("fdma", "第4号様式の区分", "FDMA report row", "label",
           "被害状況即報で数える行。docs/exports.md の対応表による", FDMA_LABELS),
    Column("rules_version", "判定基準の版", "rule-set version", "label",
           "判定に使った規則集の版"),
    Column("surveyor", "調査員", "surveyor", "text", "現在の判定を出した調査の調査員（班）"),
    Column("first_judged_at", "初回判定日時", "first judged at", "datetime",
           "現在の判定を出した調査が最初に完了した日時（日本時間）"),
    Column("judged_at", "判定日時", "judged at", "datetime", "現在の判定の日時（日本時間）"),
    Column("households", "世帯数", "households", "number", HOUSEHOLD_NOTE),
    Column("persons", "人数", "persons", "number", "世帯員の人数。不明なら空欄"),
    Column("remarks", "備考", "remarks", "text", "調査票の備考（改行を含むことがある）"),
)
