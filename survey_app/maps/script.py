"""The JavaScript of the map page: marker styles, the click bridge and the legend.

The page talks to the app by `console.log("survey-app:" + JSON)`: the web view reads its console,
so no QWebChannel script has to be loaded and the page also works in a plain browser.
"""

from __future__ import annotations

BRIDGE_PREFIX = "survey-app:"

# Each row of SURVEY_POINTS is [lat, lon, style index, survey id, label].
MARKER_CALLBACK = """function (row) {
  var s = SURVEY_STYLES[row[2]];
  var m = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 7, color: s.stroke, weight: 2,
      fillColor: s.fill, fillOpacity: 0.9, dashArray: s.dash});
  m.bindTooltip(row[4] + ' : ' + s.label);
  m.on('click', function () { window.surveyApp.send('open', {id: row[3]}); });
  return m;
}"""

BRIDGE_JS = """
window.surveyApp = (function (map) {
  var api = {map: map, picking: false, mark: null, pick: null, ready: false};
  api.send = function (kind, payload) {
    console.log('%(prefix)s' + JSON.stringify({kind: kind, payload: payload}));
  };
  api.find = function (id) {
    var rows = window.SURVEY_POINTS || [];
    for (var i = 0; i < rows.length; i++) { if (rows[i][3] === id) { return rows[i]; } }
    return null;
  };
  api.highlight = function (id, pan) {
    if (api.mark) { map.removeLayer(api.mark); api.mark = null; }
    var row = id ? api.find(id) : null;
    if (!row) { return false; }
    api.mark = L.circleMarker([row[0], row[1]], {radius: 16, color: '#00b7ff', weight: 4,
        fill: false, interactive: false}).addTo(map);
    if (pan) { map.setView([row[0], row[1]], Math.max(map.getZoom(), 17)); }
    return true;
  };
  api.setPicking = function (on) {
    api.picking = !!on;
    map.getContainer().style.cursor = api.picking ? 'crosshair' : '';
  };
  api.showPick = function (lat, lon) {
    if (api.pick) { map.removeLayer(api.pick); }
    api.pick = L.circleMarker([lat, lon], {radius: 9, color: '#000', weight: 3,
        fillColor: '#fff', fillOpacity: 1}).addTo(map);
  };
  map.on('click', function (e) {
    if (!api.picking) { return; }
    api.showPick(e.latlng.lat, e.latlng.lng);
    api.send('pick', {lat: e.latlng.lat, lon: e.latlng.lng, zoom: map.getZoom()});
  });
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'survey-legend');
    var seen = {};
    SURVEY_STYLES.forEach(function (s) {
      if (seen[s.label]) { return; }
      seen[s.label] = true;
      div.innerHTML += '<div><span style="background:' + s.fill + ';border-color:' + s.stroke
          + '"></span>' + s.label + '</div>';
    });
    return div;
  };
  legend.addTo(map);
  api.ready = true;
  return api;
})(%(map)s);
window.surveyApp.highlight(%(highlight)s, %(pan)s);
window.surveyApp.send('ready', {count: (window.SURVEY_POINTS || []).length});
"""

PAGE_CSS = """<style>
%(font_face)s
.leaflet-container, .leaflet-tooltip, .leaflet-control, .survey-legend {
  font-family: %(family)s !important; }
.survey-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px;
  font-size: 12px; line-height: 18px; }
.survey-legend span { display: inline-block; width: 12px; height: 12px; margin-right: 6px;
  border: 2px solid; border-radius: 50%%; vertical-align: middle; }
</style>"""
