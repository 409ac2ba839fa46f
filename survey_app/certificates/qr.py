"""The QR code that ties a printed certificate to its register entry.

Text: RSC1:<municipality code>:<disaster id>:<number>:<first 16 hex of the entry hash>, in
upper case so it fits QR's compact alphanumeric mode. Scanning it at a counter finds the entry
and shows whether the paper still matches it (and is still valid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError
from reportlab.lib.utils import ImageReader

PREFIX = "RSC1"
HASH_CHARS = 16
_PATTERN = re.compile(r"^RSC1:([0-9A-Z]*):([0-9A-F-]{36}|[0-9A-Z-]+):(\d+):([0-9A-F]{16})$")
_MODULE_PX = 4


@dataclass(frozen=True)
class QrRef:
    municipality_code: str
    disaster_id: str
    number: int
    hash_prefix: str


def qr_text(municipality_code: str, disaster_id: str, number: int, entry_hash: str) -> str:
    return ":".join((PREFIX, municipality_code, disaster_id, str(number),
                     entry_hash[:HASH_CHARS])).upper()


def parse_qr_text(text: str) -> QrRef | None:
    match = _PATTERN.match(text.strip().upper())
    if not match:
        return None
    code, disaster, number, digest = match.groups()
    return QrRef(code, disaster.lower(), int(number), digest.lower())


_versions: dict[tuple[int, bool], int] = {}


def _encode(text: str, border: int) -> list[list[bool]]:
    """The module matrix. The mask is fixed (choosing the "best" of eight triples the time and
    any mask scans) and the version found for a text length is reused (fitting encodes twice).
    """
    key = (len(text), text.isupper())
    version = _versions.get(key)
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=border,
                         mask_pattern=0)
    code.add_data(text)
    try:
        code.make(fit=version is None)
    except DataOverflowError:
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border, mask_pattern=0)
        code.add_data(text)
        code.make(fit=True)
    _versions[key] = code.version
    return code.get_matrix()


@lru_cache(maxsize=4096)
def qr_image(text: str) -> ImageReader:
    """A crisp black-and-white image of the code (4 px per module, quiet zone included);
    cached, so reprinting a batch does not encode again."""
    matrix = _encode(text, border=4)
    n = len(matrix)
    raw = bytes(0 if cell else 255 for row in matrix for cell in row)
    image = Image.frombytes("L", (n, n), raw).resize((n * _MODULE_PX, n * _MODULE_PX),
                                                     Image.NEAREST)
    return ImageReader(image)


def qr_matrix(text: str) -> list[list[bool]]:
    """The module matrix without the quiet zone (for tests and an on-screen check)."""
    return _encode(text, border=0)
