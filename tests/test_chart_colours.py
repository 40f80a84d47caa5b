"""The charts' colours against WCAG AA and colour-blind vision, computed from the colours the code
draws with (components/charts.py): a line or a mark needs 3:1 against the white it is drawn on, so
that a projector, which washes pale colours out, still shows it; colours told apart by colour alone
must stay apart under deuteranopia and protanopia."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from colour_contrast import rgb, ratio
from components import charts

MARKS = 3.0   # WCAG 1.4.11: graphical objects needed to read a chart


@pytest.mark.parametrize("name", ["PRIMARY", "SECONDARY", "LIGHT", "TARGET", "MUTED"])
def test_the_chart_lines_are_3_to_1_on_white(name):
    """LIGHT draws the p90 lines, the spread of prices and the distribution bars; its comment said
    3:1 while #5B9BD5 is 2.96:1."""
    assert ratio(getattr(charts, name), "white") >= MARKS


def test_the_volume_bars_are_3_to_1_on_the_plot_background():
    """The Overview's and Responsiveness' contacts per week are grey bars behind a measure's line; the
    bars are what says how busy a week was (WCAG 1.4.11: 3:1 for a graphical object needed to read the
    chart). Their grey #9AA5B1 was 2.5:1 on the white plot, fainter still on a projector."""
    weeks = pd.DataFrame({"week": pd.date_range("2026-02-02", periods=3, freq="7D"), "contacts": [120, 80, 100],
                          "hours": [2.0, 3.5, 1.0]})
    figure = charts.volume_with_line(weeks, "week", "contacts", "Contacts", "hours", "Median hours", "Volume", "",
                                     "Contacts per week", "Hours")
    [bars] = [trace for trace in figure.data if trace.type == "bar"]
    assert figure.layout.plot_bgcolor == "white"
    assert round(ratio(bars.marker.color, figure.layout.plot_bgcolor), 2) >= MARKS


def _edged_marks(trace) -> list[tuple[str, str]]:
    """(fill, edge) of each point of a scatter trace; a mark without an edge of its own has none to see (white)."""
    fills, edges = trace.marker.color, trace.marker.line.color or "white"
    count = len(fills) if isinstance(fills, (list, tuple)) else 1
    as_list = lambda value: list(value) if isinstance(value, (list, tuple)) else [value] * count   # noqa: E731
    return list(zip(as_list(fills), as_list(edges)))


def _weeks(compliance: list[float], pending: list[int]) -> pd.DataFrame:
    weeks = pd.date_range("2026-02-02", periods=len(compliance), freq="7D")
    met = [round(100 * c) for c in compliance]
    return pd.DataFrame({"week": weeks, "compliance": compliance, "met": met,
                         "missed": [100 - m for m in met], "pending": pending})


def test_every_status_mark_can_be_seen_on_white():
    """A point of the weekly trend, the breakdown and their legends is seen by its fill or its edge:
    one of them 3:1 on white. Against a 90% target: 95% is on target (green), 87% within 5 points
    (amber, 2.2:1 on white, with a white edge: nothing at 3:1), 80% below (red); the fourth week has
    10 of 110 contacts pending, so it is provisional and drawn hollow (white inside, its status as edge)."""
    trend = charts.compliance_trend(_weeks([0.95, 0.87, 0.80, 0.87], [0, 0, 0, 10]), 0.90, "Trend", "")
    breakdown = charts.compliance_by_value(
        pd.DataFrame({"value": ["In-house", "FixRight", "Swift"], "compliance": [0.95, 0.87, 0.80],
                      "met": [95, 87, 80], "missed": [5, 13, 20], "pending": [0, 0, 0]}), 0.90, "By partner", "")
    marks = []
    for figure in (trend, breakdown):
        for trace in figure.data:
            if trace.type == "scatter" and "markers" in (trace.mode or "") and trace.name != "Hollow: provisional":
                marks += [(trace.name, fill, edge) for fill, edge in _edged_marks(trace)]
    assert {charts.RAG_COLOURS["amber"]} <= {fill for _, fill, _ in marks}   # amber points were drawn
    assert "white" in {fill for _, fill, _ in marks}   # the hollow provisional week
    unseen = [mark for mark in marks if max(ratio(mark[1], "white"), ratio(mark[2], "white")) < MARKS]
    assert unseen == []


# Machado, Oliveira and Fernandes (2009), severity 1: linear RGB as a dichromat sees it.
DICHROMATS = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
}


def _lab(colour: str, vision: str | None) -> tuple[float, float, float]:
    """CIELAB (D65) of a colour as seen with `vision` (None: usual colour vision)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb(colour))]
    if vision:
        linear = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear)))) for row in DICHROMATS[vision]]
    r, g, b = linear
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _difference(first: str, second: str, vision: str | None) -> float:
    return sum((a - b) ** 2 for a, b in zip(_lab(first, vision), _lab(second, vision))) ** 0.5


def test_the_colours_of_five_groups_are_seen_on_white_and_stay_apart_for_colour_blind_readers():
    """The Pricing page's compliance by tenure draws a bar per promise (five in the demo charter) in
    SERIES, named by colour in the legend only. Each is 3:1 on white; every two differ by 15 or more
    (CIE76) in usual, deuteranope and protanope vision. The teal and the mauve of the old palette
    were 7.9 apart for a deuteranope; its yellow was 1.7:1 on white."""
    five = charts.SERIES[:5]
    assert [colour for colour in five if ratio(colour, "white") < MARKS] == []
    close = [(vision, first, second, round(_difference(first, second, vision), 1))
             for vision in (None, *DICHROMATS) for first, second in itertools.combinations(five, 2)
             if _difference(first, second, vision) < 15]
    assert close == []
