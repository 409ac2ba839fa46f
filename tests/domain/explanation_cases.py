"""Surveys that together reach every explanation line the engine writes, in every rule version.

The Japanese explanation of each is kept in explanation_ja.json, recorded before the engine
learnt to render rule labels in English: the Japanese text must stay exactly what it was.
"""

from __future__ import annotations

import copy

from tests.domain.helpers import grid, survey

# domain.md §7.4: the second-op21 first-survey worked example (wood, earthquake).
WORKED_EXAMPLE = {
    "roof": {"degrees": [{"degree": "IV", "area_percent": 50}]},
    "exterior_wall": {"total_units": 20, "degrees": [{"degree": "III", "units": 4},
                                                     {"degree": "IV", "units": 8}]},
    "foundation": {"damaged_length_m": 7, "perimeter_m": 30},
}
VERSIONS = ("2009-06", "2013-06", "2018-03", "2020-03", "2021-03", "2024-05", "2025-07")
_DATES = {"2009-06": "2011-03-11", "2013-06": "2016-04-14", "2018-03": "2019-10-12",
          "2020-03": "2020-07-04", "2021-03": "2022-03-16", "2024-05": "2024-08-01",
          "2025-07": "2025-09-01"}

# name → (observations without the rule version, local band or None)
_CASES = {
    "worked_example": (survey(components=WORKED_EXAMPLE), None),
    "shortcut_total": (survey(appearance={"total_collapse": True}), None),
    "shortcut_storey": (survey(appearance={"storey_collapse": True}), None),
    "shortcut_washed": (survey(hazard="flood", appearance={"washed_away": True}), None),
    "incl_wood_1_20": (survey(inclination={"offsets_cm": [6, 6, 6, 6]}), None),
    "incl_flood_1_20": (survey(hazard="flood", inclination={"offsets_cm": [6, 6, 6, 6]}), None),
    "incl_add_second": (survey(stage="second", inclination={"offsets_cm": [2.5, 2.5, 2.5, 2.5]},
                               components={"roof": grid(("II", 30))}), None),
    "incl_none": (survey(inclination={"offsets_cm": [0.5, 1, 0.5, 1]},
                         components={"roof": grid(("I", 10))}), None),
    "non_wood_1_30": (survey(stage="second", structure="non_wood",
                             inclination={"offsets_cm": [4, 4, 4, 4]}), None),
    "non_wood_1_60": (survey(stage="second", structure="non_wood",
                             inclination={"offsets_cm": [2, 2, 2, 2], "max_settlement_cm": 30}),
                      None),
    "capped": (survey(components={"roof": grid(("V", 45), ("IV", 55))}), None),
    "second_all": (survey(stage="second", components={
        "roof": grid(("I", 10), ("II", 20)), "columns": grid(("III", 15)),
        "floors": grid(("IV", 5)), "exterior_wall": grid(("V", 100)),
        "interior_wall": grid(("I", 50)), "ceilings": grid(("II", 60)),
        "fittings": grid(("I", 80)), "foundation": {"damaged_length_m": 3, "perimeter_m": 40},
        "services": grid(("III", 40))}), None),
    "non_wood_components": (survey(stage="second", structure="non_wood", components={
        "columns_walls": grid(("II", 20)), "floors_beams": grid(("I", 10)),
        "exterior_finish": grid(("III", 30)), "interior_finish": grid(("I", 50)),
        "ceilings": grid(("IV", 10)), "fittings": grid(("V", 5)),
        "services": grid(("II", 10))}), None),
    "wind": (survey(hazard="wind", components={"roof": grid(("V", 100)),
                                               "ceilings": grid(("V", 100))}), None),
    "flood_external": (survey(hazard="flood", flood={"external_force": True,
                                                     "depth_above_floor_cm": 120},
                              floor_area={"lost_m2": 10, "total_m2": 100}), None),
    "flood_external_below": (survey(hazard="flood", flood={"external_force": True,
                                                           "below_floor_only": True}), None),
    "flood_second": (survey(hazard="flood", stage="second",
                            flood={"external_force": True, "depth_above_floor_cm": 30},
                            components={"interior_wall": grid(("V", 100)),
                                        "services": grid(("IV", 50))}), None),
    "floor_area": (survey(floor_area={"lost_m2": 55, "total_m2": 100},
                          components={"roof": grid(("II", 40))}), None),
    "liq_sinking": (survey(hazard="liquefaction", liquefaction={"sinking": "floor",
                                                               "uneven_settlement_cm": 4},
                           inclination={"offsets_cm": [1.2, 1.2, 1.2, 1.2]}), None),
    "liq_deep": (survey(hazard="liquefaction", liquefaction={"sinking": "above_floor_1m"}), None),
    "liq_shallow": (survey(hazard="liquefaction", liquefaction={"sinking": "foundation_25cm"}),
                    None),
    "liq_inclination": (survey(hazard="liquefaction", liquefaction={"sinking": "none"},
                               inclination={"offsets_cm": [6, 6, 6, 6]}), None),
    "liq_none": (survey(hazard="liquefaction", liquefaction={"sinking": "none"}), None),
    "local_band": (survey(stage="second", components={"roof": grid(("V", 40))}), "houki"),
    "local_band_none": (survey(hazard="flood", flood={"external_force": True,
                                                      "below_floor_only": True}), "houki"),
}
# Only from 2024-05: the depth table for flooding without external force (内水氾濫).
_LATER_CASES = {
    "flood_internal": (survey(hazard="flood", flood={"external_force": False,
                                                     "depth_above_floor_cm": 9}), None),
    "flood_internal_below": (survey(hazard="flood", flood={"external_force": False,
                                                           "below_floor_only": True}), None),
}


def cases() -> dict[str, tuple[dict, str | None]]:
    """"<version>/<case>" → (observations, local band id or None), judgeable in that version."""
    found = {}
    for version in VERSIONS:
        chosen = dict(_CASES, **(_LATER_CASES if version >= "2024-05" else {}))
        for name, (obs, local) in chosen.items():
            obs = copy.deepcopy(obs)
            obs.update(rules_version=version, disaster_date=_DATES[version])
            found[f"{version}/{name}"] = (obs, local)
    return found
