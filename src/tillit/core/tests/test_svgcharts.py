"""The SVG charts and the district map: accessible names, hidden values
drawn as "<5", every district on the map."""

from __future__ import annotations

from tillit.core import districts, svgcharts


def test_map_draws_every_district_and_greys_hidden_ones():
    values = {d.slug: float(d.number) for d in districts.DISTRICTS}
    values["alna"] = None
    svg = svgcharts.district_map("Kart", values)
    assert svg.count("<path") == 15
    assert svg.count(f'fill="{svgcharts.GREY}"') >= 1
    assert "<title>Alna: &lt;5</title>" in svg
    assert 'role="img"' in svg and 'aria-label="Kart"' in svg


def test_bar_chart_shows_hidden_values_and_negative_bars():
    svg = svgcharts.bar_chart("Søyler", [("a", 3.0), ("b", -1.5), ("c", None)], unit=" t")
    assert "&lt;5" in svg
    assert "-1,5 t" in svg and "3,0 t" in svg
    assert 'width="-' not in svg


def test_line_chart_breaks_at_hidden_months():
    svg = svgcharts.line_chart("Linjer", ["jan", "feb", "mar"], {"x": [1.0, None, 3.0]})
    path = svg.split('<path d="')[1].split('"')[0]
    assert path.count("M") == 2  # a new stroke after the gap
