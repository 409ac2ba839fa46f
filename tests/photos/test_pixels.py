"""Photos decoded for the screen with Pillow (survey_app.photos.pixels): upright, bounded, and
None rather than an error for what cannot be decoded."""

from __future__ import annotations

import io

from PIL import Image

from survey_app.photos.pixels import photo_pixels, thumbnail_pixels


def test_a_turned_photo_comes_upright_and_within_the_size(exif_samples):
    path = exif_samples / "orientation" / "landscape_6.jpg"
    with Image.open(path) as raw:
        assert raw.height > raw.width  # stored on its side, orientation 6 says to turn it
    turned = photo_pixels(path, 64)
    assert turned.width > turned.height and max(turned.width, turned.height) <= 64
    assert len(turned.rgb) == 3 * turned.width * turned.height


def test_a_thumbnail_decodes_and_a_broken_one_is_none(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "JPEG")
    pixels = thumbnail_pixels(out.getvalue())
    assert (pixels.width, pixels.height) == (40, 30)
    assert pixels.rgb[0] > 150 and pixels.rgb[1] < 60  # red survives
    assert thumbnail_pixels(out.getvalue()[:50]) is None
    assert thumbnail_pixels(b"") is None and thumbnail_pixels(None) is None
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a photo")
    assert photo_pixels(broken, 64) is None
