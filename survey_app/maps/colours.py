"""The grade colours every view shares (map markers, the judgement banner, the dashboard's
charts): the more severe, the deeper the red. No folium here, so widgets can import it cheaply."""

GRADE_COLOURS = {"zenkai": "#8e0013", "daikibo": "#d7301f", "chukibo": "#f46d43",
                 "hankai": "#fdae61", "junhankai": "#e6c800", "ichibu": "#4daf4a",
                 "hankai_miman": "#4daf4a"}
