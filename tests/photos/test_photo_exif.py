"""EXIF: time, position, altitude, direction, orientation, camera; bad values never raise."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from photo_samples import GPS, gps_ifd, jpeg_with_raw_exif, rational
from PIL import ExifTags, Image

from survey_app.photos import PhotoMeta, read_meta

BASE = ExifTags.Base


def _pillow_coordinates(path) -> tuple[float, float]:
    """The position computed independently of our code, from Pillow's reading of the GPS IFD."""
    gps = Image.open(path).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    def degrees(parts, ref, negative):
        value = float(parts[0]) + float(parts[1]) / 60 + float(parts[2]) / 3600
        return -value if ref == negative else value

    return (
        degrees(gps[GPS.GPSLatitude], gps[GPS.GPSLatitudeRef], "S"),
        degrees(gps[GPS.GPSLongitude], gps[GPS.GPSLongitudeRef], "W"),
    )


def test_real_gps_samples_give_their_coordinates(exif_samples):
    files = sorted((exif_samples / "gps").glob("*.jpg"))
    assert len(files) == 9
    for path in files:
        meta = read_meta(path)
        lat, lon = _pillow_coordinates(path)
        assert meta.latitude == pytest.approx(lat, abs=1e-9), path.name
        assert meta.longitude == pytest.approx(lon, abs=1e-9), path.name
        assert meta.make == "NIKON" and meta.model == "COOLPIX P6000"
        assert meta.warnings == ()


def test_one_real_sample_pinned_literally(exif_samples):
    # DSCN0010: N 43° 28' 2.814", E 11° 53' 6.456" (checked by hand against exifread's output).
    meta = read_meta(exif_samples / "gps" / "DSCN0010.jpg")
    assert meta.latitude == pytest.approx(43.467448, abs=1e-6)
    assert meta.longitude == pytest.approx(11.885127, abs=1e-6)
    assert meta.taken_at == datetime(2008, 10, 22, 16, 28, 39)
    assert (meta.pixel_width, meta.pixel_height, meta.orientation) == (640, 480, 1)
    assert meta.altitude_m is None  # the ref is there, the altitude is not
    assert meta.direction_ref is None  # written as an empty string


def test_real_southern_hemisphere_sample(exif_samples):
    # Kodak CX7530: S 0° 22.278', E 36° 3.385' (minutes with decimals, seconds 0).
    meta = read_meta(exif_samples / "cameras" / "Kodak_CX7530.jpg")
    assert meta.latitude == pytest.approx(-22.278 / 60, abs=1e-9)
    assert meta.longitude == pytest.approx(36 + 3.385 / 60, abs=1e-9)
    assert meta.make == "EASTMAN KODAK COMPANY"
    assert meta.pixel_width == 100  # written as a SHORT pair [100, 0]


def test_camera_samples_read_without_warnings(exif_samples):
    expected_models = {
        "Canon_40D.jpg": "Canon EOS 40D",
        "Nikon_D70.jpg": "NIKON D70",
        "Pentax_K10D.jpg": "PENTAX K10D",  # padded with spaces in the file
        "Sony_HDR-HC3.jpg": "HDR-HC3",
        "PaintTool_sample.jpg": None,
    }
    for name, model in expected_models.items():
        meta = read_meta(exif_samples / "cameras" / name)
        assert meta.model == model, name
        assert meta.warnings == (), name
    canon = read_meta(exif_samples / "cameras" / "Canon_40D.jpg")
    assert canon.taken_at == datetime(2008, 5, 30, 15, 56, 1)  # DateTimeOriginal, not DateTime


def test_south_west_below_sea_level_with_direction_and_offset(make_jpeg):
    path = make_jpeg(
        gps=gps_ifd(
            (38, 16, (2787, 500)), "S", (140, 52, (1128, 100)), "W",
            {
                GPS.GPSAltitudeRef: b"\x01",
                GPS.GPSAltitude: rational((125, 10)),
                GPS.GPSImgDirectionRef: "M",
                GPS.GPSImgDirection: rational((2701, 10)),
            },
        ),
        base={BASE.Make: "Apple", BASE.Model: "iPhone 15", BASE.DateTime: "2024:01:02 03:04:05"},
        exif_ifd={BASE.DateTimeOriginal: "2024:01:01 16:10:00", BASE.OffsetTimeOriginal: "+09:00"},
        orientation=6,
    )  # fmt: skip
    meta = read_meta(path)
    assert meta.latitude == pytest.approx(-(38 + 16 / 60 + 5.574 / 3600), abs=1e-12)
    assert meta.longitude == pytest.approx(-(140 + 52 / 60 + 11.28 / 3600), abs=1e-12)
    assert meta.altitude_m == pytest.approx(-12.5)
    assert (meta.direction_deg, meta.direction_ref) == (pytest.approx(270.1), "M")
    assert meta.taken_at == datetime(2024, 1, 1, 16, 10, tzinfo=timezone(timedelta(hours=9)))
    assert (meta.make, meta.model, meta.orientation) == ("Apple", "iPhone 15", 6)
    assert meta.has_location and meta.warnings == ()


def test_altitude_above_sea_level_and_date_time_fallback(make_jpeg):
    path = make_jpeg(
        gps=gps_ifd((35, 0, 0), "N", (139, 0, 0), "E", {GPS.GPSAltitude: rational((3776, 1))}),
        base={BASE.DateTime: "2011:03:11 14:46:18"},
    )
    meta = read_meta(path)
    assert (meta.latitude, meta.longitude, meta.altitude_m) == (35.0, 139.0, 3776.0)
    assert meta.taken_at == datetime(2011, 3, 11, 14, 46, 18)


def test_zero_denominators_become_none_with_a_warning(make_jpeg):
    path = make_jpeg(
        gps=gps_ifd(
            ((0, 0), (0, 0), (0, 0)), "N", (139, 45, (1, 0)), "E",
            {GPS.GPSAltitude: rational((10, 0)), GPS.GPSImgDirection: rational((0, 0))},
        ),
    )  # fmt: skip
    meta = read_meta(path)
    assert (meta.latitude, meta.longitude, meta.altitude_m, meta.direction_deg) == (None,) * 4
    assert len(meta.warnings) == 4
    assert any("GPSLatitude" in w and "0/0" in w for w in meta.warnings)
    assert all("EXIF" in w for w in meta.warnings)


def test_out_of_range_and_unknown_values_become_none(make_jpeg):
    path = make_jpeg(
        gps=gps_ifd((95, 0, 0), "N", (139, 70, 0), "X", {GPS.GPSAltitudeRef: b"\x07",
                                                          GPS.GPSAltitude: rational(5)}),
        orientation=9,
        exif_ifd={BASE.DateTimeOriginal: "2024:13:45 25:61:00", BASE.OffsetTimeOriginal: "JST"},
    )  # fmt: skip
    meta = read_meta(path)
    assert meta == PhotoMeta(warnings=meta.warnings)  # every field None
    joined = "\n".join(meta.warnings)
    for tag in ("GPSLatitude", "GPSLongitude", "GPSAltitudeRef", "Orientation", "DateTimeOriginal"):
        assert tag in joined


def test_a_missing_hemisphere_is_read_as_north_east_with_a_warning(make_jpeg):
    gps = {GPS.GPSLatitude: tuple(rational(p) for p in (35, 30, 0))}
    meta = read_meta(make_jpeg(gps=gps))
    assert meta.latitude == 35.5
    assert len(meta.warnings) == 1 and "GPSLatitudeRef" in meta.warnings[0]


def test_blank_camera_clock_is_unknown_not_an_error(make_jpeg):
    path = make_jpeg(exif_ifd={BASE.DateTimeOriginal: "0000:00:00 00:00:00"},
                     base={BASE.DateTime: "    :  :     :  :  "})  # fmt: skip
    meta = read_meta(path)
    assert meta.taken_at is None and meta.warnings == ()


def test_no_exif_gives_all_none(tmp_path):
    path = tmp_path / "plain.png"
    Image.new("RGB", (8, 8)).save(path)
    assert read_meta(path) == PhotoMeta()
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    assert read_meta(text) == PhotoMeta()


def test_a_missing_file_is_a_warning_not_an_exception(tmp_path):
    meta = read_meta(tmp_path / "gone.jpg")
    assert meta.latitude is None and len(meta.warnings) == 1


def test_to_dict_is_json_ready(make_jpeg):
    path = make_jpeg(exif_ifd={BASE.DateTimeOriginal: "2024:01:01 16:10:00"})
    data = read_meta(path).to_dict()
    assert data["taken_at"] == "2024-01-01T16:10:00"
    assert json.loads(json.dumps(data)) == data
    assert set(data) >= {"latitude", "longitude", "altitude_m", "direction_deg", "orientation",
                         "make", "model", "pixel_width", "pixel_height", "warnings"}  # fmt: skip


def _entry_values(kind: int) -> st.SearchStrategy:
    one = {
        1: st.integers(0, 255), 7: st.integers(0, 255), 2: st.integers(0, 127),
        3: st.integers(0, 2**16 - 1), 4: st.integers(0, 2**32 - 1),
        5: st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)),
        10: st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1)),
    }[kind]  # fmt: skip
    return st.tuples(st.just(kind), st.lists(one, max_size=4))


# Any TIFF type, any count, any content: what buggy firmware writes.
entry = st.sampled_from([1, 2, 3, 4, 5, 7, 10]).flatmap(_entry_values)
GPS_TAGS = [
    GPS.GPSLatitudeRef,
    GPS.GPSLatitude,
    GPS.GPSLongitudeRef,
    GPS.GPSLongitude,
    GPS.GPSAltitudeRef,
    GPS.GPSAltitude,
    GPS.GPSImgDirectionRef,
    GPS.GPSImgDirection,
]
IFD0_TAGS = [BASE.Orientation, BASE.Make, BASE.Model, BASE.DateTime]
EXIF_TAGS = [BASE.DateTimeOriginal, BASE.OffsetTimeOriginal, BASE.ExifImageWidth,
             BASE.ExifImageHeight]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ifd0=st.dictionaries(st.sampled_from(IFD0_TAGS), entry),
    gps=st.dictionaries(st.sampled_from(GPS_TAGS), entry),
    exif=st.dictionaries(st.sampled_from(EXIF_TAGS), entry),
)
def test_arbitrary_exif_values_never_raise(tmp_path_factory, ifd0, gps, exif):
    path = tmp_path_factory.mktemp("junk") / "junk.jpg"
    path.write_bytes(jpeg_with_raw_exif(ifd0, gps, exif))
    meta = read_meta(path)
    event("read back", "with warnings" if meta.warnings else "clean")
    assert meta.latitude is None or -90 <= meta.latitude <= 90
    assert meta.longitude is None or -180 <= meta.longitude <= 180
    assert meta.orientation is None or 1 <= meta.orientation <= 8
    assert meta.direction_deg is None or 0 <= meta.direction_deg <= 360
    assert meta.make is None or isinstance(meta.make, str)
    assert all(isinstance(w, str) and w for w in meta.warnings)
    json.dumps(meta.to_dict(), ensure_ascii=False)


def test_values_of_the_wrong_type_are_warnings(tmp_path):
    path = tmp_path / "odd.jpg"
    path.write_bytes(jpeg_with_raw_exif(
        {BASE.Orientation: (2, [ord("6"), 0]), BASE.Make: (3, [1, 2])},
        gps={GPS.GPSLatitude: (2, [ord(c) for c in "35.5\0"]), GPS.GPSLatitudeRef: (2, [78, 0]),
             GPS.GPSLongitude: (5, [(139, 1)]), GPS.GPSLongitudeRef: (2, [69, 0])},
        exif={BASE.DateTimeOriginal: (5, [(2024, 1)])},
    ))  # fmt: skip
    meta = read_meta(path)
    assert meta.latitude is None and meta.longitude == 139.0  # one part is whole degrees
    assert meta.make is None and meta.taken_at is None
    joined = "\n".join(meta.warnings)
    for tag in ("GPSLatitude", "Make", "DateTimeOriginal"):
        assert tag in joined
