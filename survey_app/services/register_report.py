"""What a register import reports back: counts, and each bad row with its line number."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BadRow:
    line: int                     # the file's line where the record starts (the header is 1)
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    kind: str
    file: str
    mapping: dict[str, str]
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0                 # residents newly linked to a building
    unlinked: int = 0               # residents whose address matches no single building
    bad: list[BadRow] = field(default_factory=list)
    import_id: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.linked)
