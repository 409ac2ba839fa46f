"""Generated survey photos for the demo: a drawn house per side, with real EXIF (time, GPS,
direction), so the demo exercises the same intake path as a camera's files."""

from __future__ import annotations

import io
import random
from datetime import datetime
from fractions import Fraction

from PIL import ExifTags, Image, ImageDraw

# (photo tag, camera bearing): the four sides of the house, as the guideline asks.
SIDES = (("exterior_n", 180), ("exterior_e", 270), ("exterior_s", 0), ("exterior_w", 90))


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = Fraction(round((value - deg - minutes / 60) * 3600 * 1000), 1000)
    return Fraction(deg), Fraction(minutes), seconds


def _exif(lat: float, lon: float, when: datetime, bearing: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "DemoCam"
    exif[ExifTags.Base.Model] = "Field-1"
    exif[ExifTags.Base.DateTime] = when.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = \
        when.strftime("%Y:%m:%d %H:%M:%S")
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
        ExifTags.GPS.GPSLatitude: _dms(lat),
        ExifTags.GPS.GPSLongitudeRef: "E" if lon >= 0 else "W",
        ExifTags.GPS.GPSLongitude: _dms(lon),
        ExifTags.GPS.GPSImgDirectionRef: "T",
        ExifTags.GPS.GPSImgDirection: Fraction(bearing),
    }
    return exif


def _draw_house(rng: random.Random, damage: float) -> Image.Image:
    im = Image.new("RGB", (640, 480), (150 + rng.randint(0, 60), 190, 235))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 360, 640, 480), fill=(110, 130, 90))
    wall = (225 - rng.randint(0, 40), 215, 190)
    d.rectangle((150, 200, 490, 380), fill=wall, outline=(80, 70, 60), width=3)
    tilt = int(damage * 40)
    d.polygon(((130, 200 + tilt), (320, 90), (510, 200 - tilt)), fill=(70, 70, 85))
    d.rectangle((290, 290, 350, 380), fill=(120, 80, 50))
    for _ in range(int(damage * 12)):  # cracks
        x, y = rng.randint(160, 480), rng.randint(210, 370)
        d.line((x, y, x + rng.randint(-40, 40), y + rng.randint(10, 50)), fill=(40, 40, 40),
               width=2)
    return im


def photo_bytes(rng: random.Random, *, lat: float, lon: float, when: datetime, bearing: int,
                damage: float) -> bytes:
    buf = io.BytesIO()
    _draw_house(rng, damage).save(buf, "JPEG", quality=80,
                                  exif=_exif(lat, lon, when, bearing))
    return buf.getvalue()
