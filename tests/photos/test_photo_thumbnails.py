"""Thumbnails come out upright for all eight EXIF orientations, HEIC included."""

from __future__ import annotations

import io

import pytest
from photo_samples import pattern_image
from PIL import ExifTags, Image, ImageChops, ImageStat

from survey_app.photos import ImageRejected, make_thumbnail
from survey_app.photos.imaging import enable_heif

WRONG_TURNS = (
    Image.Transpose.FLIP_LEFT_RIGHT,
    Image.Transpose.FLIP_TOP_BOTTOM,
    Image.Transpose.ROTATE_180,
)


def _open_jpeg(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    assert im.format == "JPEG"
    return im.convert("RGB")


def _centred(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    # The orientation-1 sample was saved by another program and is about 13 levels brighter
    # than the other seven, so brightness is evened out before the pictures are compared.
    small = im.convert("L").resize(size, Image.Resampling.BOX)
    shift = 128 - ImageStat.Stat(small).mean[0]
    return small.point(lambda v: v + shift)


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute pixel difference (0-255) after both are shrunk to 32 px on the long side."""
    size = (32, 24) if a.width >= a.height else (24, 32)
    return ImageStat.Stat(ImageChops.difference(_centred(a, size), _centred(b, size))).mean[0]


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_sample_comes_out_upright(exif_samples, shape, orientation):
    folder = exif_samples / "orientation"
    reference = _open_jpeg(make_thumbnail(folder / f"{shape}_1.jpg"))
    thumb = _open_jpeg(make_thumbnail(folder / f"{shape}_{orientation}.jpg"))
    assert thumb.size == reference.size
    right = _difference(thumb, reference)
    wrong = min(_difference(thumb, reference.transpose(t)) for t in WRONG_TURNS)
    assert right < 8, f"{shape}_{orientation}: differs from upright by {right:.1f}"
    assert right * 4 < wrong, f"{shape}_{orientation}: {right:.1f} vs wrongly turned {wrong:.1f}"


def test_the_stored_pixels_really_are_turned(exif_samples):
    # Without the EXIF orientation the sample is sideways: the check above is not trivially true.
    folder = exif_samples / "orientation"
    raw = Image.open(folder / "landscape_6.jpg").convert("RGB")
    upright = Image.open(folder / "landscape_1.jpg").convert("RGB")
    assert raw.size == (upright.height, upright.width)


def test_thumbnail_size_and_format(make_jpeg):
    path = make_jpeg(size=(1200, 900))
    thumb = _open_jpeg(make_thumbnail(path, max_px=320))
    assert thumb.size == (320, 240)
    assert _open_jpeg(make_thumbnail(path, max_px=100)).size == (100, 75)


def test_orientation_6_turns_a_generated_photo(make_jpeg):
    thumb = _open_jpeg(make_thumbnail(make_jpeg(orientation=6, size=(64, 48))))
    assert thumb.size == (48, 64)
    # The red block at the sensor's top-left is at the top-right once turned 90° clockwise.
    assert thumb.getpixel((40, 5))[0] > 200 and thumb.getpixel((5, 5))[0] < 180


def test_png_with_transparency_becomes_a_jpeg_on_white(tmp_path):
    path = tmp_path / "sketch.png"
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(path)
    thumb = _open_jpeg(make_thumbnail(path))
    assert min(thumb.getpixel((20, 20))) > 240


def test_sixteen_bit_tiff_is_scaled_not_clipped(tmp_path):
    path = tmp_path / "scan.tif"
    Image.new("I;16", (20, 20), 32768).save(path)
    thumb = Image.open(io.BytesIO(make_thumbnail(path)))
    assert 120 <= thumb.getpixel((10, 10)) <= 136


def test_a_broken_file_is_rejected_not_thumbnailed(bad_files):
    with pytest.raises(ImageRejected) as err:
        make_thumbnail(bad_files["truncated"])
    assert err.value.code == "truncated"


def _write_heic(path, orientation: int) -> bool:
    """An iPhone-like HEIC written by pillow-heif, or False if it cannot encode here."""
    if not enable_heif():
        return False
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Apple"
    try:
        pattern_image((64, 48)).save(path, format="HEIF", exif=exif.tobytes(), quality=90)
    except (OSError, KeyError, ValueError):
        return False
    return True


def test_heic_is_accepted_and_comes_out_upright(tmp_path):
    path = tmp_path / "IMG_0001.HEIC"
    if not _write_heic(path, orientation=6):
        pytest.skip("pillow-heif cannot encode HEIF on this machine")
    thumb = _open_jpeg(make_thumbnail(path))
    assert thumb.size == (48, 64)
    assert thumb.getpixel((40, 5))[0] > 200 and thumb.getpixel((5, 5))[0] < 180
