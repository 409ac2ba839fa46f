"""Per-municipality certificate settings, kept as a small JSON file next to the store.

The municipality, the mayor's title and name, the seal's position and the number format differ
from town to town; the layout itself is the national format and is not configurable.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from survey_app.i18n import tr


class SettingsError(ValueError):
    """The settings file cannot be used; the message names the file and the field."""


@dataclass
class CertificateSettings:
    municipality_name: str = ""
    municipality_code: str = ""
    mayor_title: str = ""
    mayor_name: str = ""
    number_format: str = "第{number}号"
    era_dates: bool = True
    # The seal (公印) box sits right of the issuer line; the offset moves it (mm, +x right, +y up).
    seal_offset_mm: tuple[float, float] = (0.0, 0.0)
    seal_size_mm: float = 18.0
    seal_image: str = ""
    # 追加記載事項①: list the household members when the clerk gives no text of their own
    # (the Cabinet Office's example certificate does; see docs/certificates.md).
    members_in_extra1: bool = True
    mincho_font: str = ""
    gothic_font: str = ""
    note: str = "この証明書は、災害対策基本法第90条の2の規定に基づき交付するものです。"

    def issuer_title(self) -> str:
        """「○○市長」: the configured title, else the municipality's name + 長."""
        return self.mayor_title or (self.municipality_name + "長" if self.municipality_name
                                    else "")

    def issuer(self) -> str:
        return "　".join(p for p in (self.issuer_title(), self.mayor_name) if p)

    def problems(self) -> list[str]:
        out = []
        try:
            self.number_format.format(number=1)
        except (KeyError, IndexError, ValueError):
            out.append(tr("office.settings_bad_number_format", value=self.number_format))
        if not 5 <= float(self.seal_size_mm) <= 40:
            out.append(tr("office.settings_bad_seal_size", value=self.seal_size_mm))
        if self.seal_image and not Path(self.seal_image).is_file():
            out.append(tr("office.settings_seal_missing", path=self.seal_image))
        return out

    @classmethod
    def load(cls, path: Path) -> CertificateSettings:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise SettingsError(tr("office.settings_unreadable", path=path, reason=err)) from err
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known) if isinstance(data, dict) else ["(not an object)"]
        if unknown:
            raise SettingsError(tr("office.settings_unknown_keys", path=path,
                                   keys=", ".join(unknown)))
        if "seal_offset_mm" in data:
            data["seal_offset_mm"] = tuple(float(v) for v in data["seal_offset_mm"])
        settings = cls(**data)
        problems = settings.problems()
        if problems:
            raise SettingsError(tr("office.settings_invalid", path=path,
                                   problems=" / ".join(problems)))
        return settings

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)
