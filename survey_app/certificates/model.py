"""What one printed certificate says: plain data, filled by the services from the register.

The wording below is the national unified format (府政防第737号, 2020-03-30; see
docs/certificates.md). A certificate is a Japanese official document, so this text is fixed
document content, not UI text: it is not translated with the message catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

GRADE_LABELS = {
    "zenkai": "全壊",
    "daikibo": "大規模半壊",
    "chukibo": "中規模半壊",
    "hankai": "半壊",
    "junhankai": "準半壊",
    "ichibu": "準半壊に至らない（一部損壊）",
}

TITLES = {"risai": "罹災証明書", "hisai": "被災証明書"}
STATEMENTS = {
    "risai": "上記のとおり相違ないことを証明します。",
    "hisai": "上記のとおり届出があったことを証明します。",
}
HISAI_NOTICE = "※この証明書は、住家の被害の程度を認定するものではありません。"
HISAI_DEFAULT_DAMAGE = "申請者からの被害の届出による（現地調査による被害の程度の認定は行っていない）"
EXTRA_MARKS = ("①", "②", "③")
EXTRA_HINTS = ("世帯構成員等", "住家の浸水等", "その他")


@dataclass(frozen=True)
class CertificateDoc:
    """Every field printed on one certificate page."""

    kind: str
    number_text: str
    issued_on: str
    household_name: str
    household_address: str
    damaged_address: str
    cause: str
    issuer: str
    grade_code: str | None = None
    reported_damage: str = ""
    extras: tuple[str, str, str] = ("", "", "")
    reissue_of: str = ""
    reissue_reason: str = ""
    voided_on: str = ""
    void_reason: str = ""
    qr_text: str = ""

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS.get(self.grade_code or "", "")

    @property
    def voided(self) -> bool:
        return bool(self.voided_on)

    def check(self) -> None:
        """A 罹災証明書 needs a judged grade (domain.md §3.1): refuse to print one without."""
        if self.kind not in TITLES:
            raise ValueError(f"unknown certificate kind {self.kind!r}")
        if self.kind == "risai" and self.grade_code not in GRADE_LABELS:
            raise ValueError(f"a 罹災証明書 needs a judged grade, got {self.grade_code!r}")
        if self.kind == "hisai" and self.grade_code:
            raise ValueError("a 被災証明書 carries no grade")
