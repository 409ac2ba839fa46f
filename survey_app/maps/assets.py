"""The map page's JavaScript, CSS and font, copied from installed packages next to the page.

Leaflet, Leaflet.markercluster and jQuery come from the XStatic packages (package data, so the
app never reaches a CDN). Files are copied only when missing or changed, so rebuilding the page
for another survey costs nothing here.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.jquery as xs_jquery
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

FONT_NAME = "AppJP"
_FONT_FILE = "japanese.ttf"

# (source folder, file names, destination sub-folder)
_BUNDLES = (
    (Path(xs_leaflet.BASE_DIR), ("leaflet.js", "leaflet.css"), "leaflet"),
    (Path(xs_leaflet.BASE_DIR) / "images",
     ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"),
     "leaflet/images"),
    (Path(xs_cluster.BASE_DIR),
     ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
     "markercluster"),
    (Path(xs_jquery.BASE_DIR), ("jquery.min.js",), "jquery"),
)


@dataclass(frozen=True)
class AssetLinks:
    """Paths relative to the page, as folium wants them in default_js / default_css."""

    js: tuple[tuple[str, str], ...]
    css: tuple[tuple[str, str], ...]
    cluster_js: tuple[tuple[str, str], ...]
    cluster_css: tuple[tuple[str, str], ...]
    font: str | None


def install_assets(page_dir: Path, font: Path | None) -> AssetLinks:
    """Copy the assets under page_dir/assets and return the links a page uses."""
    root = page_dir / "assets"
    for source_dir, names, sub in _BUNDLES:
        for name in names:
            _copy_if_changed(source_dir / name, root / sub / name)
    font_link = None
    if font is not None and font.is_file():
        _copy_if_changed(font, root / _FONT_FILE)
        font_link = f"assets/{_FONT_FILE}"
    return AssetLinks(
        js=(("leaflet", "assets/leaflet/leaflet.js"), ("jquery", "assets/jquery/jquery.min.js")),
        css=(("leaflet_css", "assets/leaflet/leaflet.css"),),
        cluster_js=(("markerclusterjs", "assets/markercluster/leaflet.markercluster.js"),),
        cluster_css=(("markerclustercss", "assets/markercluster/MarkerCluster.css"),
                     ("markerclusterdefaultcss",
                      "assets/markercluster/MarkerCluster.Default.css")),
        font=font_link,
    )


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(target.name + ".part")
    shutil.copyfile(source, temp)
    temp.replace(target)
