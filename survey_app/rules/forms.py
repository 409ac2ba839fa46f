"""Survey form definitions (forms/forms/): which sections and fields each hazard and stage shows.

`FormCatalog.resolve` fills in the component list from a rule set, so the desktop app can build
its form from one dict.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from survey_app.domain.ruleset import RuleSet
from survey_app.i18n import tr
from survey_app.rules.errors import RulesError
from survey_app.rules.files import read_checked


class FormCatalog:
    def __init__(self, sections: dict[str, dict[str, Any]], hazards: dict[str, dict[str, Any]]) -> None:
        self.sections = sections
        self.hazards = hazards

    @classmethod
    def load(cls, folder: Path, schema_dir: Path) -> FormCatalog:
        data = read_checked(folder / "sections.json", schema_dir / "sections.schema.json")
        sections = {s["id"]: s for s in data["sections"]}
        hazards: dict[str, dict[str, Any]] = {}
        for path in sorted(folder.glob("*.json")):
            if path.name == "sections.json":
                continue
            form = read_checked(path, schema_dir / "form.schema.json")
            if form["hazard"] != path.stem:
                raise RulesError(tr("rules.id_mismatch", path=path, id=form["hazard"]))
            for stage in form["stages"]:
                unknown = [s for s in stage["sections"] if s not in sections]
                if unknown:
                    raise RulesError(tr("rules.inconsistent", path=path,
                                        reason=f"unknown sections {', '.join(unknown)}"))
            hazards[form["hazard"]] = form
        return cls(sections, hazards)

    def stages(self, hazard: str) -> list[str]:
        return [s["stage"] for s in self.hazards.get(hazard, {}).get("stages", ())]

    def resolve(self, hazard: str, stage: str, structure: str, rules: RuleSet) -> dict[str, Any]:
        """The form for one survey: labels, fields filtered to it, and the rule set's components."""
        form = self.hazards.get(hazard)
        entry = next((s for s in form["stages"] if s["stage"] == stage), None) if form else None
        if entry is None:
            raise RulesError(tr("rules.unknown_form", hazard=hazard, stage=stage))
        sections = []
        for section_id in entry["sections"]:
            section = self._section(section_id, hazard, stage, structure, rules)
            if section is not None:
                sections.append(section)
        return {
            "hazard": hazard, "hazard_label": form["label"], "stage": stage,
            "stage_label": entry["label"], "structure": structure,
            "description": entry.get("description", ""),
            "rules_version": rules.version, "rules_hash": rules.sha256, "sections": sections,
        }

    def _section(self, section_id: str, hazard: str, stage: str, structure: str, rules: RuleSet):
        section = copy.deepcopy(self.sections[section_id])
        section["fields"] = [f for f in section["fields"] if _shown(f, hazard, stage, structure)]
        if section.get("kind") != "components":
            return section
        cset = rules.component_set(hazard, stage, structure)
        if cset is None:
            return None
        section["component_set"] = cset.id
        section["components"] = [
            {"code": c.code, "label": c.label, "label_en": c.label_en, "weight": c.weight,
             "measure": c.measure, "unconfirmed_note": c.note}
            for c in cset.components
        ]
        return section


def _shown(field: dict[str, Any], hazard: str, stage: str, structure: str) -> bool:
    return (
        hazard in field.get("hazards", (hazard,))
        and stage in field.get("stages", (stage,))
        and structure in field.get("structures", (structure,))
    )
