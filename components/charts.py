"""Plotly charts in one visual language: one palette, green/amber/red only for RAG, titles that
say what is measured and a subtitle with the unit and the period. Chart functions take frames and
return figures (the meeting pack reuses them); `show` draws one with its CSV download."""
from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import formatting as fmt, presentation
from components.tables import download
from components.tiles import FEW_JUDGED, few_judged, judged_note, provisional, rag_status, rag_text

FONT = "'Source Sans Pro', 'Source Sans 3', 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
INK = "#1F2933"
MUTED = "#616E7C"       # 5.2:1 on white: subtitles and axis titles stay legible on a projector
GRID = "#E4E7EB"
PRIMARY = "#1F4E79"     # the main series
SECONDARY = "#2A9D8F"   # a second measure
LIGHT = "#5898D2"       # the p90 / spread of the main series (3.07:1 on white: a line needs 3:1; #5B9BD5 had 2.96)
NEUTRAL = "#8794A1"     # volumes behind a measure: 3.1:1 on white, a bar needs 3:1 to be seen (#9AA5B1 had 2.5)
TARGET = "#3E4C59"
RAG_COLOURS = {"green": "#2E7D32", "amber": "#E8A317", "red": "#C62828", None: "#B0B8C1"}
# The edge of a status mark on white. Amber itself is 2.2:1 on white, under the 3:1 a mark needs, and a
# projector washes it out further: its points are ringed in a darker amber (4.9:1); the others in white.
RAG_EDGES = {"amber": "#9A6700"}
# A provisional week (deadlines still to pass, reading 25) in the grid: the same hue, paler.
RAG_PALE = {"green": "#A5CDA7", "amber": "#F5D79A", "red": "#E8A3A3"}
# Red and green look alike to a colour-blind reader: a grid cell that missed says so in its text,
# a point by its shape.
RAG_MARKS = {"red": "✕"}   # amber stays apart from both for colour-blind readers
RAG_SYMBOLS = {"green": "circle", "amber": "diamond", "red": "x", None: "circle-open"}
# Text on a RAG colour: white on amber or grey is 2.2:1, too faint on a projector; dark ink is 8:1.
RAG_TEXT = {"green": "white", "amber": INK, "red": "white", None: INK}
# One colour per group (a promise in the Pricing page's bars), told apart by colour alone: the first five
# are 3:1 or more on white and stay apart for a colour-blind reader (the mauve #8E6C8A was the teal's twin
# under deuteranopia; the pale yellow #E9C46A was 1.7:1 on white).
SERIES = (PRIMARY, SECONDARY, "#E76F51", "#7A68B0", "#B8860B", "#264653", "#B5838D")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Characters per line of a title and a subtitle. A half-width chart on a 1280 px screen with the
# sidebar open (or 1920 px at 150%, as on a meeting-room projector) is about 400 px wide, and Plotly
# cuts a line that does not fit instead of wrapping it; a full-width chart has room for more.
TITLE_WIDTH, SUBTITLE_WIDTH = 44, 62
FULL_WIDTH_TITLE, FULL_WIDTH_SUBTITLE = 90, 125
PLOT_GROWTH = 1.15   # a chart's plot area with large text: room for larger ticks, not a page of scrolling
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"]}


def _heading(title: str, subtitle: str, full_width: bool, scale: float = 1.0) -> tuple[list[str], list[str]]:
    """The lines of a title and its subtitle, wrapped at spaces for the chart's width and the text's size."""
    def wrap(text: str, width: int) -> list[str]:   # at spaces only: "new-customer" and "p25-p75" stay whole
        return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False) or [""]
    widths = (FULL_WIDTH_TITLE, FULL_WIDTH_SUBTITLE) if full_width else (TITLE_WIDTH, SUBTITLE_WIDTH)
    return wrap(title, int(widths[0] / scale)), wrap(subtitle, int(widths[1] / scale))


# Plotly's toolbar (the modebar: download, zoom, pan ...) appears over the top right of a chart under the
# mouse, 28 px from the chart's top (Streamlit sizes it in rem: 36 px with large text): the title hangs
# below that strip, as a title running under the toolbar lost its end ("Contacts received and how fast
# we replied" read "... and ho... we replied") to the buttons.
MODEBAR_ROOM = 24


def _heading_margin(title_lines: list[str], subtitle_lines: list[str]) -> int:
    """The top margin _style gives a heading of these lines at the usual size: 102 px for one of each."""
    return 78 + MODEBAR_ROOM + 16 * (len(subtitle_lines) - 1) + 21 * (len(title_lines) - 1)


def _title_pad(size: float, lines: int, scale: float = 1.0) -> int:
    """Space above a title hung from the top of its chart: the toolbar's strip (`scale` times taller with
    large text), and (Plotly hangs one of several lines short of the top by part of a line) padding for that."""
    return round(MODEBAR_ROOM * scale + 12 + 0.5 * size * 1.3 * (lines - 1))


def _style(fig: go.Figure, title: str, subtitle: str, y_title: str | None = None, x_title: str | None = None,
           *, y_format: str | None = None, height: int = 380, full_width: bool = False) -> go.Figure:
    title_lines, subtitle_lines = _heading(title, subtitle, full_width)
    top = _heading_margin(title_lines, subtitle_lines)
    fig.update_layout(
        template="plotly_white", height=height + top - 78, font=dict(family=FONT, color=INK, size=13),
        # hung from the top: centred in the top margin, two charts side by side with subtitles of two
        # and three lines had their titles out of line
        title=dict(text="<br>".join(title_lines), x=0.01, xanchor="left", font=dict(size=17, color=INK),
                   subtitle=dict(text="<br>".join(subtitle_lines), font=dict(size=12.5, color=MUTED)),
                   yref="container", y=1, yanchor="top", pad=dict(t=_title_pad(17, len(title_lines)))),
        margin=dict(l=10, r=20, t=top, b=10), hoverlabel=dict(font_family=FONT, bgcolor="white"),
        # below the axis title when there is one, so the two never overlap
        legend=dict(orientation="h", yanchor="top", y=-0.26 if x_title else -0.14, xanchor="left", x=0,
                    font=dict(size=12)),
        bargap=0.25, plot_bgcolor="white",
        meta=dict(title=title, subtitle=subtitle, full_width=full_width),   # for enlarged()
    )
    fig.update_yaxes(title=y_title, gridcolor=GRID, zeroline=False, tickformat=y_format, title_font=dict(color=MUTED))
    fig.update_xaxes(title=x_title, showgrid=False, linecolor=GRID, title_font=dict(color=MUTED))
    return fig


def enlarged(fig: go.Figure, scale: float) -> go.Figure:
    """A copy of a chart with every text `scale` times larger (a projector, components/presentation):
    the title and subtitle wrapped again for the larger text and hung from the top of the chart,
    the plot area a little taller."""
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})

    def grow(node) -> None:   # every font size Plotly holds: layout, title, legend, axes, notes, trace text
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("font") and isinstance(value, dict) and isinstance(value.get("size"), (int, float)):
                    value["size"] = round(value["size"] * scale, 1)
                grow(value)
        elif isinstance(node, list):
            for item in node:
                grow(item)
    grow(spec)
    for trace in spec.get("data", []):
        if trace.get("type") == "bar":   # Plotly would shrink a larger figure above a narrow bar back to its width
            trace["constraintext"] = "inside"
    meta = layout.get("meta") or {}
    if "weeks" in meta:   # larger labels: fewer of them fit
        shown, text = _week_ticks([pd.Timestamp(week) for week in meta["weeks"]], scale)
        layout["xaxis"].update(tickvals=[week.isoformat() for week in shown], ticktext=text)
    if "title" not in meta:   # not drawn by _style
        return go.Figure(spec)
    title = layout["title"]
    title_lines, subtitle_lines = _heading(meta["title"], meta["subtitle"], meta["full_width"], scale)
    title["text"], title["subtitle"]["text"] = "<br>".join(title_lines), "<br>".join(subtitle_lines)
    # _style's margins are fitted to 13 px text: the larger title block gets a margin made to fit it line by line
    title_line, subtitle_line = title["font"]["size"] * 1.3, title["subtitle"]["font"]["size"] * 1.3
    pad = _title_pad(title["font"]["size"], len(title_lines), scale)
    title.update(pad=dict(t=pad))
    block = round(pad + len(title_lines) * title_line + len(subtitle_lines) * subtitle_line + 6)
    margin = layout["margin"]
    above_plot = margin["t"] - _heading_margin(*_heading(meta["title"], meta["subtitle"], meta["full_width"]))  # week labels
    plot = layout["height"] - margin["t"] - margin.get("b", 0)
    legend = layout.get("legend") or {}
    if isinstance(legend.get("y"), (int, float)) and legend["y"] < 0:
        # a legend under the plot sits a share of the plot's height below it: the larger ticks (and
        # axis title) need that share to grow with the text, not with the plot
        legend["y"] = round(legend["y"] * scale * scale / PLOT_GROWTH, 3)
    margin["t"] = block + round(above_plot * scale)
    layout["height"] = margin["t"] + round(plot * PLOT_GROWTH) + margin.get("b", 0)
    return go.Figure(spec)


def _summarise(fig: go.Figure, summary: str) -> None:
    """What the chart shows in a sentence from its data, for a screen reader (text_alternative)."""
    fig.update_layout(meta={**(fig.layout.meta or {}), "summary": summary})


def text_alternative(fig: go.Figure) -> str | None:
    """A chart's accessible name (show: st.plotly_chart's alt): its title, which names the measure, and
    its summary (_summarise), e.g. 'Compliance week by week: 13 weeks; w/c 23 Nov 2026: 82.4% met,
    target 90%'. Plotly draws an SVG that a screen reader has no words for."""
    meta = fig.layout.meta or {}
    words = ": ".join(part for part in (meta.get("title"), meta.get("summary")) if part)
    return words or None


EMPTY_VALUE = "no value"


def _value(value, spec: str = ",.1f", suffix: str = "") -> str:
    """A number as the chart's hover shows it (Plotly's d3 formats ',.1f', '.1%' and '+.1%' read alike in Python)."""
    if fmt.is_empty(value):
        return EMPTY_VALUE
    try:
        return f"{value:{spec}}{suffix}"
    except (TypeError, ValueError):
        return f"{value}{suffix}"


def _extremes(names, values, shown) -> str:
    """'highest: North 12.0%; lowest: South 3.1%' of categories and their values as shown."""
    numbers = pd.to_numeric(pd.Series(list(values)), errors="coerce")
    if numbers.notna().sum() == 0:
        return "no values"
    names, shown = list(names), list(shown)
    high, low = int(numbers.idxmax()), int(numbers.idxmin())
    if high == low:
        return f"{names[high]} {shown[high]}"
    return f"highest: {names[high]} {shown[high]}; lowest: {names[low]} {shown[low]}"


def _latest_week(frame: pd.DataFrame, week: str) -> pd.Series | None:
    """The row of the latest week, whose figures a weekly chart's summary names; None with no weeks."""
    return frame.sort_values(week).iloc[-1] if len(frame) else None


def _weeks_summary(weeks, latest: str) -> str:
    """'13 weeks; w/c 23 Nov 2026: ...' of a weekly chart: how many weeks and the latest one's figures."""
    weeks = pd.to_datetime(pd.Series(list(weeks))).dropna()
    if weeks.empty:
        return "no weeks"
    count, last = weeks.nunique(), weeks.max()
    # the week the data ends in is shaded on screen as a part-week (_shade_week_in_progress): said in words too
    so_far = " so far" if last.date() == st.session_state.get(WEEK_IN_PROGRESS) else ""
    return f"{count} week{'s' if count != 1 else ''}; {fmt.week(last)}{so_far}: {latest}"


MOST_WEEK_LABELS = 6      # a half-width chart on a 1024 px screen fits six labels without turning them
LONG_SPAN_WEEKS = 26      # beyond half a year, weeks are labelled by month and year
WEEK_IN_PROGRESS = "_week_in_progress"
HALF_WEEK = pd.Timedelta(days=3.5)
SO_FAR_ROOM = 18          # px above a weekly plot for the part-week's "so far" (larger with large text: enlarged())


def set_week_in_progress(week) -> None:
    """The week the data ends in (layout.header, from as_of): weekly charts drawn in this run shade it,
    so a part-week's low volume or quick replies are not read as a trend."""
    st.session_state[WEEK_IN_PROGRESS] = week


def _shade_week_in_progress(fig: go.Figure, starts: list[pd.Timestamp]) -> None:
    week = st.session_state.get(WEEK_IN_PROGRESS)
    if week is None or not starts or starts[-1].date() != week:
        return
    # a pale blue-grey, not the grey of the volume bars: the part-week's own bar stays visible on it
    fig.add_vrect(x0=starts[-1] - HALF_WEEK, x1=starts[-1] + HALF_WEEK, fillcolor="#D9E2EC", opacity=0.6, line_width=0,
                  layer="below")
    # its words sit above the plot, in room made for them: inside the band they lay on the part-week's own
    # point when it was near the top (a what-if at 98%), and with large text across it; they end at the
    # band's right edge: centred, they ran onto the right axis's numbers of a two-axis chart
    fig.add_annotation(text="so far", x=starts[-1] + HALF_WEEK, xref="x", xanchor="right", y=1, yref="y domain",
                       yanchor="bottom", showarrow=False, font=dict(size=12, color=INK))
    fig.update_layout(margin=dict(t=(fig.layout.margin.t or 0) + SO_FAR_ROOM))


def _week_ticks(starts: list[pd.Timestamp], scale: float = 1.0) -> tuple[list[pd.Timestamp], list[str]]:
    """At most six week labels, fewer for larger text; day and month, or month and year over more
    than half a year."""
    long_span = len(starts) > LONG_SPAN_WEEKS
    # 'Nov 2025' is longer than '24 Aug': one label fewer, or Plotly turns them and they run into the legend
    most = int(MOST_WEEK_LABELS / scale) - (1 if long_span else 0)
    shown = starts[::max(1, math.ceil(len(starts) / most))]
    label = "%b %Y" if long_span else "%-d %b"
    return shown, [f"{week:{label}}" for week in shown]


def _week_axis(fig: go.Figure, weeks, *, shade: bool = True) -> None:
    """Label the weeks by their own Mondays (_week_ticks), on a range of exactly the weeks shown.
    Plotly's automatic weekly ticks fall on Sundays (a week of 24 Aug labelled '23 Aug') and on a
    short period repeat a day. The weeks are kept in the chart's meta for enlarged()."""
    starts = [pd.Timestamp(week) for week in sorted(pd.to_datetime(pd.Series(list(weeks))).dropna().unique())]
    if not starts:
        return
    shown, text = _week_ticks(starts)
    fig.update_xaxes(tickmode="array", tickvals=shown, ticktext=text, tickangle=0,
                     hoverformat="w/c %-d %b %Y", range=[starts[0] - HALF_WEEK, starts[-1] + HALF_WEEK])
    fig.update_layout(meta={**(fig.layout.meta or {}), "weeks": [week.isoformat() for week in starts]})
    if shade:
        _shade_week_in_progress(fig, starts)


def compliance_trend(weekly: pd.DataFrame, target: float, title: str, subtitle: str) -> go.Figure:
    """Weekly compliance (rows of standards_weekly for one standard) against the target line; each
    point coloured by its RAG status and carrying its week (customdata) for drill-through."""
    statuses = [rag_status(c, target) for c in weekly["compliance"]]
    unsettled = [provisional(*counts) for counts in zip(weekly["met"], weekly["missed"], weekly["pending"])]
    # a week judged on a handful of contacts (a quiet week of follow-ups: 1 met, 8 missed) swings by
    # tens of points: paler, and said so, as in the breakdown beside it
    few = [few_judged(met, missed) for met, missed in zip(weekly["met"], weekly["missed"])]
    if any(few):
        subtitle += f" · pale: fewer than {FEW_JUDGED} contacts"
    weekly = weekly.assign(week_label=weekly["week"].map(fmt.week),
                           week_iso=weekly["week"].map(lambda w: pd.Timestamp(w).date().isoformat()),
                           shown=[rag_text(c, target) for c in weekly["compliance"]],
                           caveat=["<br><i>provisional: deadlines still to pass, it can still fall</i>" if u else ""
                                   for u in unsettled])
    fig = go.Figure()
    low = min([target - 0.10] + [v for v in weekly["compliance"].dropna()])
    fig.add_hrect(y0=target - 0.05, y1=target, fillcolor=RAG_COLOURS["amber"], opacity=0.08, line_width=0)
    fig.add_trace(go.Scatter(
        x=weekly["week"], y=weekly["compliance"], mode="lines+markers", name="Compliance",
        line=dict(color=PRIMARY, width=2.5),
        # a provisional week's point is hollow: its share can still fall as its pending contacts come due
        marker=dict(size=11, color=["white" if u else RAG_COLOURS[s] for s, u in zip(statuses, unsettled)],
                    symbol=[RAG_SYMBOLS[s] for s in statuses],
                    line=dict(color=[RAG_EDGES.get(s, RAG_COLOURS[s]) if u else RAG_EDGES.get(s, "white")
                                     for s, u in zip(statuses, unsettled)],
                              width=[2.5 if u else 1.5 for u in unsettled]),
                    opacity=[0.45 if f else 1.0 for f in few]),
        showlegend=False, legendgroup="compliance",
        customdata=weekly[["week_label", "met", "missed", "pending", "week_iso", "shown", "caveat"]].to_numpy(),
        hovertemplate="%{customdata[0]}<br><b>%{customdata[5]}</b> met the promise<br>"
                      "%{customdata[1]:,} met · %{customdata[2]:,} missed · %{customdata[3]:,} pending%{customdata[6]}"
                      "<br><i>click to list the breaches</i><extra></extra>",
    ))
    # the legend names the line and each point shape (the series' own entry would show its first shape)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name="Compliance", legendgroup="compliance",
                             line=dict(color=PRIMARY, width=2.5)))
    _status_legend(fig, statuses)
    if any(unsettled):
        _provisional_legend(fig)
    ends = [pd.Timestamp(weekly["week"].min()) - HALF_WEEK, pd.Timestamp(weekly["week"].max()) + HALF_WEEK]
    fig.add_trace(go.Scatter(x=ends, y=[target, target], mode="lines",   # a line even over one week
                             name=f"Target {fmt.target(target)}", line=dict(color=TARGET, dash="dash", width=1.5),
                             hoverinfo="skip"))
    _style(fig, title, subtitle, "% met (of met + missed)", y_format=".0%")
    fig.update_yaxes(range=[max(0, low - 0.03), 1.01])
    latest = _latest_week(weekly, "week")
    _summarise(fig, _weeks_summary(weekly["week"], "" if latest is None else
                                   f"{latest['shown']} met" + (", provisional" if provisional(latest["met"], latest["missed"],
                                                                                             latest["pending"]) else "")) +
               f", target {fmt.target(target)}")
    _week_axis(fig, weekly["week"])
    return fig


def _provisional_legend(fig: go.Figure) -> None:
    """The legend entry naming a hollow point: a provisional week (reading 25)."""
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="Hollow: provisional", hoverinfo="skip",
                             marker=dict(size=10, color="white", symbol="circle", line=dict(color=MUTED, width=2.5))))


def _status_legend(fig: go.Figure, statuses: list[str | None]) -> None:
    """Legend entries naming each point shape drawn (circle on target, diamond within 5 points, x below)."""
    for status, name in (("green", "On target"), ("amber", "Within 5 points"), ("red", "Below")):
        if status in statuses:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, hoverinfo="skip", marker=dict(
                size=10, color=RAG_COLOURS[status], symbol=RAG_SYMBOLS[status],
                line=dict(color=RAG_EDGES.get(status, "white"), width=1.5))))


def compliance_by_value(breakdown: pd.DataFrame, target: float, title: str, subtitle: str) -> go.Figure:
    """Compliance per value of a dimension (rows of standards_breakdown for one standard) as dots,
    worst at the top, coloured by RAG status, with the target line; each dot carries its value for
    drill-through. Dots, not bars: the axis is zoomed to the range that matters (like the weekly
    trend), and a bar's length on an axis that does not start at zero would lie (89.8% drawn as
    half of 92.1%); a dot's position does not."""
    shown = breakdown[(breakdown["met"] + breakdown["missed"]) > 0].sort_values("compliance")
    # The value goes beside the name on the axis, not beside the dot, where the target line crossed it.
    values = [rag_text(c, target) for c in shown["compliance"]]
    statuses = [rag_status(c, target) for c in shown["compliance"]]
    # a value judged on a handful of contacts often sits at the top (worst) by chance: paler, and says so
    few = [few_judged(met, missed) for met, missed in zip(shown["met"], shown["missed"])]
    fig = go.Figure(go.Scatter(
        x=shown["compliance"], y=shown["value"], mode="markers", cliponaxis=False,
        marker=dict(size=15, color=[RAG_COLOURS[s] for s in statuses], symbol=[RAG_SYMBOLS[s] for s in statuses],
                    line=dict(color=[RAG_EDGES.get(s, "white") for s in statuses], width=1.5),
                    opacity=[0.45 if f else 1.0 for f in few]),
        # the name from the data: %{y} gives the axis' tick text, which carries the figure too
        # ('FixRight Repairs 89.8%: 89.8%')
        customdata=shown.assign(shown=values)[["met", "missed", "pending", "shown", "value"]].to_numpy(),
        hovertemplate="%{customdata[4]}: <b>%{customdata[3]}</b><br>%{customdata[0]:,} met · %{customdata[1]:,} missed · "
                      "%{customdata[2]:,} pending<br><i>click to list the breaches</i><extra></extra>"))
    subtitle += f" · dashed line: target {fmt.target(target)}"
    if any(few):
        subtitle += f" · pale: based on fewer than {FEW_JUDGED} contacts"
    _style(fig, title, subtitle, height=max(260, 110 + 34 * len(shown)))
    lowest = max(0.0, min([target - 0.10] + list(shown["compliance"].dropna())) - 0.03)
    # five ticks at most, every 5, 10, 20 or 25 points: beside long names a half-width chart at 1280 px has
    # some 200 px of axis, where eight ticks (30% to 100%) turned on their side and ran into each other
    step = 0.05 if lowest >= 0.8 else 0.1 if lowest >= 0.6 else 0.2 if lowest >= 0.2 else 0.25
    low = math.floor(round(lowest / step, 6)) * step
    ticks = [round(low + step * number, 2) for number in range(int(round((1 - low) / step)) + 1)]
    # no axis title: the subtitle says what the axis is, and the shapes' legend sits under the ticks;
    # the range starts a little before the lowest tick, so a dot at 0% does not sit on the names
    fig.update_xaxes(tickformat=".0%", showgrid=True, gridcolor=GRID,
                     range=[low - 0.05 * (1.02 - low), 1.02], tickvals=ticks)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=True, gridcolor=GRID, tickmode="array",
                     tickvals=list(shown["value"]),
                     ticktext=[f"{tick_label(c)}  <b>{v}</b>" + (f"<span style='color:{MUTED}'> · only {met + missed:,.0f}</span>"
                                                                  if f else "")
                               for c, v, f, met, missed in zip(shown["value"], values, few, shown["met"], shown["missed"])])
    # the subtitle names the target line: a label beside it was cut at the axis' end (a 95% target on an
    # axis to 102%) or ran into the dots, and the legend under a plot narrowed by long names has no room
    _target_line(fig, target, horizontal=True, labelled=False)
    _status_legend(fig, statuses)
    fig.data[0].showlegend = False
    _summarise(fig, f"{len(shown)} shown, target {fmt.target(target)}; "
               + _extremes(shown["value"], shown["compliance"], values))
    return fig


def rag_grid(cells: pd.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Standards (rows) x weeks (columns), each cell the week's compliance coloured red/amber/green;
    pale when provisional (a `provisional` column) or resting on few contacts (`met` and `missed`),
    and the subtitle says so."""
    level = {"red": 0, "amber": 1, "green": 2}
    rows = list(dict.fromkeys(cells["label"]))
    weeks = sorted(cells["week"].unique())
    long_span = len(weeks) > LONG_SPAN_WEEKS
    unsettled = cells["provisional"] if "provisional" in cells else pd.Series(False, index=cells.index)
    counted = {"met", "missed"} <= set(cells.columns)
    # a week resting on a handful of contacts (4 follow-ups: 1 met, 3 missed) swings by tens of points:
    # pale, as on the Compliance page's trend and breakdown (reading 27)
    few = (pd.Series([few_judged(met, missed) for met, missed in zip(cells["met"], cells["missed"])], index=cells.index)
           if counted else pd.Series(False, index=cells.index))
    marks = [RAG_MARKS.get(status, "") for status in cells["status"]]
    texts = [mark + "\u2009" + text if mark else text for mark, text in zip(marks, cells["text"])]   # thin space
    # the hover says how many contacts a week's share rests on: "✕ 0%" of one contact is not a trend
    counts = ([f" ({met:,} of {met + missed:,} met)" + judged_note(met, missed)
               for met, missed in zip(cells["met"], cells["missed"])] if counted else [""] * len(cells))
    hovers = [text + count + (" · provisional: deadlines still to pass" if u else "")
              for text, count, u in zip(texts, counts, unsettled)]
    # In the cell: the number without its % sign (the subtitle says what the numbers are), so 13 weeks
    # fit at 1024 px; over half a year only the mark. The hover keeps the whole text.
    # a provisional week, or one on few contacts, is the same hue, paler (levels 3-5)
    pale = unsettled.astype(bool) | few
    reasons = [reason for reason, shown in (("provisional (deadlines still to pass)", unsettled.any()),
                                            (f"fewer than {FEW_JUDGED} contacts", few.any())) if shown]
    if reasons:
        subtitle += " · pale: " + " or ".join(reasons)
    cells = cells.assign(level=cells["status"].map(level) + 3 * pale.astype(int), text=hovers,
                         cell=marks if long_span else [text.replace("%", "") for text in texts])

    def grid(column: str) -> pd.DataFrame:
        return cells.pivot_table(index="label", columns="week", values=column, aggfunc="first",
                                 dropna=False).reindex(index=rows, columns=weeks)
    z, text, in_cell = grid("level"), grid("text").fillna("-").to_numpy(), grid("cell").fillna("" if long_span else "-").to_numpy()
    bands = [RAG_COLOURS["red"], RAG_COLOURS["amber"], RAG_COLOURS["green"],
             RAG_PALE["red"], RAG_PALE["amber"], RAG_PALE["green"]]
    scale = [[min(1.0, (n + edge) / len(bands)), colour] for n, colour in enumerate(bands) for edge in (0, 1)]
    fig = go.Figure(go.Heatmap(
        z=z.to_numpy(dtype=float), x=weeks, y=rows, text=in_cell, customdata=text,
        texttemplate="%{text}",
        # no text colour: Plotly picks white or ink per cell, for contrast on each RAG colour
        textfont=dict(size=10 if long_span else 11), colorscale=scale, zmin=-0.5, zmax=5.5, showscale=False, xgap=2, ygap=2,
        hovertemplate="%{y}<br>w/c %{x|%-d %b %Y}: <b>%{customdata}</b><extra></extra>",
    ))
    _style(fig, title, subtitle, height=110 + 46 * len(rows), full_width=True)   # drawn across the page
    fig.update_yaxes(autorange="reversed", gridcolor="white", tickfont=dict(size=12.5))
    _week_axis(fig, weeks, shade=False)   # the cells would hide the shading
    fig.update_xaxes(side="top", title=None)
    fig.update_layout(margin=dict(l=10, r=10, t=fig.layout.margin.t + 28, b=10))  # week labels sit on top
    last = cells[cells["week"] == weeks[-1]] if weeks else cells
    kept = {status: int((last["status"] == status).sum()) for status in ("green", "amber", "red")}
    _summarise(fig, _weeks_summary(weeks, f"{kept['green']} of {len(rows)} on target, {kept['amber']} within 5 points, "
                                          f"{kept['red']} below"))
    return fig


def lines(frame: pd.DataFrame, x: str, series: list[tuple[str, str, str, str]], title: str, subtitle: str,
          y_title: str, *, y_format: str | None = None, value_format: str = ",.1f", suffix: str = "",
          height: int = 380, from_zero: bool = False, provisional: dict[str, list[bool]] | None = None) -> go.Figure:
    """Several lines over weeks. series: (column, legend name, colour, dash). provisional: per column,
    which of its points can still fall (reading 25), drawn hollow as in the compliance trend."""
    fig = go.Figure()
    for column, name, colour, dash in series:
        unsettled = (provisional or {}).get(column) or [False] * len(frame)
        fig.add_trace(go.Scatter(x=frame[x], y=frame[column], name=name, mode="lines+markers",
                                 line=dict(color=colour, dash=dash, width=2.5 if dash == "solid" else 1.8),
                                 marker=dict(size=[9 if u else 5 for u in unsettled],
                                             color=["white" if u else colour for u in unsettled],
                                             line=dict(color=colour, width=[2 if u else 0 for u in unsettled])),
                                 customdata=[" (provisional)" if u else "" for u in unsettled],
                                 hovertemplate=f"{name}: <b>%{{y:{value_format}}}{suffix}</b>%{{customdata}}<extra></extra>"))
    if provisional and any(any(points) for points in provisional.values()):
        _provisional_legend(fig)
    _style(fig, title, subtitle, y_title, y_format=y_format, height=height)
    fig.update_layout(hovermode="x unified")
    if from_zero:
        fig.update_yaxes(rangemode="tozero")
    _week_axis(fig, frame[x])
    latest = _latest_week(frame, x)
    _summarise(fig, _weeks_summary(frame[x], "" if latest is None else ", ".join(
        f"{name} {_value(latest[column], value_format, suffix)}" for column, name, _, _ in series)))
    return fig


def volume_with_line(frame: pd.DataFrame, x: str, volume: str, volume_name: str, line: str, line_name: str,
                     title: str, subtitle: str, volume_title: str, line_title: str, *, line_format: str = ",.1f",
                     line_suffix: str = "", line_axis_format: str | None = None) -> go.Figure:
    """Weekly volume as grey bars with one measure as a line on a second axis."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=frame[x], y=frame[volume], name=volume_name, marker_color=NEUTRAL,
                         hovertemplate=f"{volume_name}: <b>%{{y:,}}</b><extra></extra>"))
    fig.add_trace(go.Scatter(x=frame[x], y=frame[line], name=line_name, mode="lines+markers", yaxis="y2",
                             line=dict(color=PRIMARY, width=2.5), marker=dict(size=6),
                             hovertemplate=f"{line_name}: <b>%{{y:{line_format}}}{line_suffix}</b><extra></extra>"))
    _style(fig, title, subtitle, volume_title)
    fig.update_layout(hovermode="x unified", yaxis2=dict(title=dict(text=line_title, font=dict(color=PRIMARY)),
                                                         overlaying="y", side="right", showgrid=False,
                                                         rangemode="tozero", tickformat=line_axis_format or ",.0f",
                                                         tickmode="auto", nticks=6))
    # Room above the tallest bar and the line's highest point (Plotly's own range ends at them).
    for axis, column in (("yaxis", volume), ("yaxis2", line)):
        top = pd.to_numeric(frame[column], errors="coerce").max() if len(frame) else None
        if top is not None and top == top and top > 0:
            fig.update_layout({axis: dict(range=[0, top * 1.1])})
    _week_axis(fig, frame[x])
    latest = _latest_week(frame, x)
    _summarise(fig, _weeks_summary(frame[x], "" if latest is None else
                                   f"{volume_name} {_value(latest[volume], ',.0f')}, "
                                   f"{line_name} {_value(latest[line], line_format, line_suffix)}"))
    return fig


LONGEST_TICK = 40   # characters of a category name on an axis


def tick_label(category) -> str:
    """A category (a partner, a team: uploaded text) as an axis label: plotly reads a few HTML tags
    in labels, so < > & are written as entities, and a long name is cut with an ellipsis so that it
    cannot squeeze the bars (the hover and the data keep it whole)."""
    text = str(category)
    if len(text) > LONGEST_TICK:
        text = text[:LONGEST_TICK - 1].rstrip() + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bars(frame: pd.DataFrame, category: str, value: str, title: str, subtitle: str, value_title: str, *,
         text: list[str] | None = None, colours: list[str] | str = PRIMARY, value_format: str = ",.1f",
         target: float | None = None, horizontal: bool = True, custom: list[str] | None = None,
         hover: str | None = None, height: int | None = None, percent_axis: bool = False) -> go.Figure:
    """Bars of one measure per category (horizontal by default, largest at the top)."""
    axis_format = ".0%" if percent_axis else None
    trace = dict(marker_color=colours, text=text, textposition="outside", cliponaxis=False,
                 customdata=frame[custom].to_numpy() if custom else None,
                 hovertemplate=hover or f"%{{{'y' if horizontal else 'x'}}}: <b>%{{{'x' if horizontal else 'y'}:{value_format}}}</b><extra></extra>")
    top = frame[value].max() if len(frame) else 0
    room = [0, top * (1.35 if horizontal else 1.12)] if text and top and top > 0 else None  # outside labels fit
    if horizontal:
        fig = go.Figure(go.Bar(y=frame[category], x=frame[value], orientation="h", **trace))
        _style(fig, title, subtitle, height=height or max(260, 110 + 34 * len(frame)))
        fig.update_xaxes(title=value_title, tickformat=axis_format, showgrid=True, gridcolor=GRID, range=room)
        fig.update_yaxes(autorange="reversed", gridcolor="white", type="category")
    else:
        fig = go.Figure(go.Bar(x=frame[category], y=frame[value], **trace))
        _style(fig, title, subtitle, value_title, y_format=axis_format, height=height or 380)
        fig.update_xaxes(type="category")
        fig.update_yaxes(range=room)
    (fig.update_yaxes if horizontal else fig.update_xaxes)(
        tickmode="array", tickvals=list(frame[category]), ticktext=[tick_label(c) for c in frame[category]])
    if target is not None:
        _target_line(fig, target, horizontal=horizontal)
    shown = text if text is not None else [_value(v, value_format) for v in frame[value]]
    _summarise(fig, f"{len(frame)} bars; " + _extremes(frame[category], frame[value], shown)
               + (f"; target {fmt.target(target)}" if target is not None else ""))
    return fig


def _target_line(fig: go.Figure, target: float, *, horizontal: bool, labelled: bool = True) -> None:
    line = dict(color=TARGET, dash="dash", width=1.5)
    if horizontal and not labelled:
        fig.add_vline(x=target, line=line)
    elif horizontal:
        fig.add_vline(x=target, line=line, annotation_text=f"Target {fmt.target(target)}", annotation_position="bottom right",
                      annotation_font=dict(size=12, color=TARGET))
    else:
        fig.add_hline(y=target, line=line, annotation_text=f"Target {fmt.target(target)}")


def weekly_bars(frame: pd.DataFrame, x: str, y: str, name: str, title: str, subtitle: str, y_title: str, *,
                colour: str = PRIMARY, value_format: str = ",.0f") -> go.Figure:
    """One measure per week as columns on a date axis."""
    fig = go.Figure(go.Bar(x=frame[x], y=frame[y], name=name, marker_color=colour,
                           hovertemplate=f"%{{x|w/c %-d %b %Y}}<br>{name}: <b>%{{y:{value_format}}}</b><extra></extra>"))
    _style(fig, title, subtitle, y_title)
    _week_axis(fig, frame[x])
    latest = _latest_week(frame, x)
    _summarise(fig, _weeks_summary(frame[x], "" if latest is None else f"{name} {_value(latest[y], value_format)}"))
    return fig


def distribution(frame: pd.DataFrame, x: str, y: str, title: str, subtitle: str, x_title: str, y_title: str, *,
                 marks: list[tuple[float, str]] = (), last_label: str | None = None) -> go.Figure:
    """A histogram from pre-binned counts, with labelled vertical marks (median, p90, a promise)."""
    labels = [last_label if last_label and v == frame[x].max() else str(v) for v in frame[x]]
    fig = go.Figure(go.Bar(x=frame[x], y=frame[y], marker_color=LIGHT, customdata=labels,
                           hovertemplate=f"%{{customdata}} {x_title.lower()}: <b>%{{y:,}}</b><extra></extra>"))
    for number, (value, label) in enumerate(marks):
        colour = (PRIMARY, TARGET, RAG_COLOURS["red"])[number % 3]
        fig.add_vline(x=value, line=dict(color=colour, dash="dash", width=1.5))
        fig.add_annotation(x=value, y=1 - 0.09 * number, yref="paper", text=label, showarrow=False, xanchor="left",
                           xshift=4, font=dict(size=12, color=colour), bgcolor="rgba(255,255,255,0.8)")
    _style(fig, title, subtitle, y_title, x_title)
    fig.update_layout(bargap=0.05)
    counts = pd.to_numeric(frame[y], errors="coerce")
    _summarise(fig, f"{_value(counts.sum(), ',.0f')} {y_title.lower()} in {len(frame)} bars of {x_title.lower()}"
               + (f", most at {labels[int(counts.reset_index(drop=True).idxmax())]}" if counts.notna().any() else "")
               + "".join(f"; {label}" for _, label in marks))
    return fig


def grouped_bars(frame: pd.DataFrame, category: str, group: str, value: str, title: str, subtitle: str,
                 value_title: str, *, value_format: str = ".1%", percent_axis: bool = True) -> go.Figure:
    """Vertical bars of a measure per category, one colour per group (e.g. per standard)."""
    fig = go.Figure()
    for number, (name, part) in enumerate(frame.groupby(group, sort=False)):
        fig.add_trace(go.Bar(x=part[category], y=part[value], name=name, marker_color=SERIES[number % len(SERIES)],
                             hovertemplate=f"{name}<br>%{{x}}: <b>%{{y:{value_format}}}</b><extra></extra>"))
    _style(fig, title, subtitle, value_title, y_format=".0%" if percent_axis else None, height=400)
    fig.update_xaxes(type="category")
    fig.update_layout(barmode="group", bargroupgap=0.05)
    groups = list(dict.fromkeys(frame[group]))
    _summarise(fig, f"{len(groups)} series ({', '.join(map(str, groups))}) over {frame[category].nunique()} "
               f"{category.replace('_', ' ')} values, from {_value(frame[value].min(), value_format)} "
               f"to {_value(frame[value].max(), value_format)}")
    return fig


def hour_weekday_heatmap(frame: pd.DataFrame, value: str, title: str, subtitle: str, value_name: str) -> go.Figure:
    """Arrivals by hour of day (columns) and weekday (rows), Monday at the top."""
    grid = (frame.pivot_table(index="weekday", columns="hour", values=value, aggfunc="sum")
            .reindex(index=range(1, 8), columns=range(24)).fillna(0))
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[f"{h:02d}:00" for h in range(24)], y=list(WEEKDAYS),
        colorscale=[[0, "#F5F7FA"], [0.35, LIGHT], [1, PRIMARY]], xgap=1, ygap=1,
        colorbar=dict(title=dict(text=value_name, side="right"), thickness=12),
        hovertemplate="%{y} %{x}: <b>%{z:,.1f}</b> " + value_name + "<extra></extra>",
    ))
    _style(fig, title, subtitle, height=360)
    fig.update_yaxes(autorange="reversed", gridcolor="white")
    fig.update_xaxes(title="Hour of arrival (charter time)", dtick=2)
    busiest = grid.stack().idxmax() if grid.to_numpy().max() > 0 else None
    _summarise(fig, "no arrivals" if busiest is None else
               f"busiest: {WEEKDAYS[busiest[0] - 1]} {busiest[1]:02d}:00, {_value(grid.loc[busiest])} {value_name}")
    return fig


def spread(frame: pd.DataFrame, category: str, median: str, low: str, high: str, title: str, subtitle: str,
           value_title: str, *, as_line: bool = False, value_format: str = "+.1%", x_title: str | None = None) -> go.Figure:
    """A median with its p25-p75 spread: dots with whiskers per category, or a line with a band."""
    fig = go.Figure()
    if as_line:
        fig.add_trace(go.Scatter(x=frame[category], y=frame[high], mode="lines", line=dict(width=0),
                                 showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=frame[category], y=frame[low], mode="lines", line=dict(width=0), fill="tonexty",
                                 fillcolor="rgba(143,184,222,0.35)", name="Middle half (p25-p75)", hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=frame[category], y=frame[median], mode="lines+markers", name="Median",
                                 line=dict(color=PRIMARY, width=3), marker=dict(size=7),
                                 customdata=frame[[low, high]].to_numpy(),
                                 hovertemplate=f"%{{x}}: median <b>%{{y:{value_format}}}</b>"
                                               f" (middle half %{{customdata[0]:{value_format}}} to %{{customdata[1]:{value_format}}})<extra></extra>"))
        # whole years: a tick each (Plotly's own gave 0 and 5 only)
        fig.update_xaxes(dtick=1)
    else:
        fig.add_trace(go.Scatter(
            x=frame[category], y=frame[median], mode="markers", name="Median",
            marker=dict(size=14, color=PRIMARY),
            error_y=dict(type="data", symmetric=False, array=frame[high] - frame[median],
                         arrayminus=frame[median] - frame[low], color=LIGHT, thickness=6, width=0),
            customdata=frame[[low, high]].to_numpy(),
            hovertemplate=f"%{{x}}: median <b>%{{y:{value_format}}}</b>"
                          f" (middle half %{{customdata[0]:{value_format}}} to %{{customdata[1]:{value_format}}})<extra></extra>"))
        fig.update_xaxes(type="category")
    fig.add_hline(y=0, line=dict(color=TARGET, dash="dash", width=1.2), annotation_text="New-customer price",
                  annotation_position="bottom right")
    _style(fig, title, subtitle, value_title, x_title, y_format="+.0%", height=400)
    # Plotly's automatic range ends at the tip of the longest whisker, which then looks cut off.
    values = pd.concat([frame[low], frame[high], pd.Series([0.0])]).dropna()
    padding = 0.08 * (values.max() - values.min()) or 0.01
    fig.update_yaxes(range=[values.min() - padding, values.max() + padding])
    _summarise(fig, f"median by {category.replace('_', ' ')}: " + _extremes(frame[category], frame[median],
                                                                            [_value(v, value_format) for v in frame[median]]))
    return fig


def show(fig: go.Figure, data: pd.DataFrame, key: str, file_name: str, *, selectable: bool = False):
    """Draw a chart and offer the numbers behind it as CSV. With selectable=True a click on a point
    or bar reruns the page and the selection is returned (drill-through). With large text on (a
    projector) the chart is drawn larger; its CSV is the same."""
    scale = presentation.text_scale()
    alt = text_alternative(fig)
    if scale != 1.0:
        fig = enlarged(fig, scale)
    if selectable:
        state = st.plotly_chart(fig, theme=None, key=f"chart-{key}", config=CONFIG, on_select="rerun",
                                selection_mode="points", alt=alt)
    else:
        st.plotly_chart(fig, theme=None, key=f"chart-{key}", config=CONFIG, alt=alt)
        state = None
    download(data, file_name, key, label="Download the data (CSV)")
    return state


def selected_points(state) -> list[dict]:
    """The points a user clicked in a selectable chart (empty when none)."""
    if not state:
        return []
    try:
        return list(state.selection.points)
    except AttributeError:
        return list(state.get("selection", {}).get("points", []))
