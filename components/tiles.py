"""KPI tiles (a value, its change against the previous period of the same length) and the RAG
status of a charter standard. A Tile is plain data, drawn on screen by `show_tiles` and in the
meeting pack as HTML, so both always say the same thing."""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from charter.model import Standard
from components import formatting as fmt
from components.labels import standard_label

TILE_STYLE = Path(__file__).with_name("assets") / "tiles.css"
AMBER_POINTS = 0.05  # amber: within 5 percentage points below target (spec section 3)
RAG_LABELS = {"green": "On target", "amber": "Just below target", "red": "Below target", None: "No data"}
RAG_BADGE_COLOURS = {"green": "green", "amber": "orange", "red": "red", None: "gray"}

FORMATS = {
    "share": fmt.pct,
    "gap": fmt.signed_pct,
    "working_hours": fmt.working_hours,
    "duration": fmt.duration,
    "count": fmt.count,
    "rate": lambda v: fmt.number(v, 1),
    "score": lambda v: fmt.number(v, 2),
    "money": fmt.money,
}


def rag_status(compliance, target: float) -> str | None:
    """green at or above target, amber within 5 points below, red below that; None without data.
    Compared in whole-basis-point steps so 0.85 against a 0.90 target is amber, not float noise."""
    if fmt.is_empty(compliance):
        return None
    shortfall = round((float(target) - float(compliance)) * 1e9) / 1e9
    if shortfall <= 0:
        return "green"
    return "amber" if shortfall <= AMBER_POINTS else "red"


PROVISIONAL_SHARE = 0.05   # of a week's (or period's) in-scope contacts still pending
PROVISIONAL_NOTE = "provisional: some deadlines have not passed, so it can still fall"


def provisional(met, missed, pending) -> bool:
    """A compliance whose deadlines have not all passed: with 5% or more of its contacts pending, the
    share can still fall as they come due (a 56-day promise is 100% for weeks in which no complaint
    could have missed yet). Reading 25."""
    judged = float(met) + float(missed) + float(pending)
    return judged > 0 and float(pending) / judged >= PROVISIONAL_SHARE


FEW_JUDGED = 30   # met + missed below this: a share a handful of contacts can swing (reading 27)


def few_judged(met, missed) -> bool:
    """A compliance resting on fewer than FEW_JUDGED met or missed contacts (and more than none):
    one contact more or less moves it by several points, so it is marked, not hidden."""
    judged = float(met) + float(missed)
    return 0 < judged < FEW_JUDGED


def judged_note(met, missed) -> str:
    """' · based on only 12 contacts' for a compliance that few_judged, else ''."""
    note = few_note(float(met) + float(missed), "contact", "contacts")
    return f" · {note}" if note else ""


def few_note(base, one: str, many: str) -> str | None:
    """'based on only 3 ratings' for a figure over fewer than FEW_JUDGED of them (and more than none),
    else None: a complaint's median or a CSAT from one rating reads like a settled figure otherwise."""
    return f"based on only {fmt.plural(base, one, many)}" if not fmt.is_empty(base) and 0 < float(base) < FEW_JUDGED \
        else None


def rag_text(compliance, target: float, digits: int = 1) -> str:
    """A compliance as printed beside its RAG colour: never rounded up across the line it fell short
    of, the target (amber) or, for a red one, the amber line 5 points below it (89.9% in red, not a
    red '90%' against a 95% target)."""
    line = float(target) - AMBER_POINTS if rag_status(compliance, target) == "red" else target
    return fmt.pct_against(compliance, line, digits)


def standard_tile(standard: Standard, row, previous_compliance) -> Tile:
    """A charter standard's tile: its compliance in its RAG colour against the target, what is
    missed and pending under it. `row` holds met, missed, pending and compliance (standards_summary,
    or complaints_within_standards for a standard's complaints alone)."""
    compliance = fmt.plain(row["compliance"])
    unsettled = provisional(row["met"], row["missed"], row["pending"])
    return Tile(
        standard_label(standard), compliance, "share", previous=fmt.plain(previous_compliance),
        help=standard.name + (f" ({PROVISIONAL_NOTE}.)" if unsettled else ""), rated=True,
        status=rag_status(compliance, standard.target), target=standard.target, literal_text=True,
        note=f"Target {fmt.target(standard.target)} · {standard.promise} · "
             f"{fmt.count(row['missed'])} missed · {fmt.count(row['pending'])} pending"
             + judged_note(row["met"], row["missed"]) + (" · provisional" if unsettled else ""),
    )


def change_text(current, previous, kind: str) -> str | None:
    """The change from the previous period in the unit people expect: points for shares, hours for
    durations, a relative change for counts and money."""
    if fmt.is_empty(current) or fmt.is_empty(previous):
        return None
    current, previous = float(current), float(previous)
    difference = current - previous
    if kind in ("share", "gap"):
        # between the values as printed (92.0% and 92.6% differ by 0.6 points, whatever the decimals)
        return _unsigned_if_zero(fmt.points(round(current, 3) - round(previous, 3)))
    if kind in ("working_hours", "duration"):
        # days only when the value beside it is printed in days: '47.1 h' went with '-0.7 days' when
        # the previous period's median had been over two days
        if kind == "duration" and abs(current) >= fmt.DAYS_FROM_HOURS:
            return _unsigned_if_zero(f"{difference / 24:+,.1f} days")
        if abs(current) < 1 and abs(previous) < 1:
            return _unsigned_if_zero(f"{difference * 60:+,.0f} min")
        return _unsigned_if_zero(f"{difference:+,.1f} h")
    if kind in ("rate", "score"):
        return _unsigned_if_zero(f"{difference:+,.{1 if kind == 'rate' else 2}f}")
    if previous == 0:
        return None
    return _unsigned_if_zero(f"{difference / abs(previous):+.1%}")


def _unsigned_if_zero(text: str) -> str:
    """'-0.0 pts' reads as a fall; a change that rounds to nothing carries no sign."""
    return text if any(digit in text for digit in "123456789") else text.lstrip("+-")


@dataclass(frozen=True)
class Tile:
    label: str
    value: Any
    kind: str = "share"
    previous: Any = None
    better: str | None = "higher"   # which way is good: "higher", "lower" or None (neutral)
    help: str | None = None
    note: str | None = None          # a short line under the number (target, working-hours twin ...)
    rated: bool = False              # a charter standard: show its RAG status
    status: str | None = None        # that status (None = no met or missed contacts)
    target: float | None = None      # a share judged against this target is never shown rounded up to it
    literal_text: bool = False       # label and help hold text from the charter or uploads: not markdown
    # The change is against something other than the previous period ('vs the charter'): said beside
    # it instead of better or worse, and drawn neutral.
    compared_with: str | None = None

    @property
    def text(self) -> str:
        if self.kind == "share" and self.target is not None:
            return rag_text(self.value, self.target) if self.rated else fmt.pct_against(self.value, self.target)
        return FORMATS[self.kind](self.value)

    @property
    def change(self) -> str | None:
        return change_text(self.value, self.previous, self.kind)

    @property
    def verdict(self) -> str | None:
        """'better', 'worse' or 'same' (as far as the shown change can tell) against the previous period."""
        if self.change is None:
            return None
        difference = float(self.value) - float(self.previous)
        if not any(digit in self.change for digit in "123456789") or self.better is None or self.compared_with:
            return "same"
        return "better" if (difference > 0) == (self.better == "higher") else "worse"

    @property
    def verdict_words(self) -> str | None:
        """The verdict in words beside the change, so good and bad do not rest on green and red alone;
        a change that rounds to nothing ('0.0 days', which has no direction) is said to be none."""
        if self.compared_with and self.change is not None:
            return self.compared_with
        if self.change is not None and not any(digit in self.change for digit in "123456789"):
            return "no change"
        return self.verdict if self.verdict in ("better", "worse") else None


def _delta_colour(tile: Tile) -> str:
    if tile.verdict == "same":
        return "off"
    if tile.better == "lower":
        return "inverse"
    return "normal" if tile.better == "higher" else "off"


def show_tile(tile: Tile) -> None:
    """One bordered tile: the number, its change against the previous period, a note and a RAG badge."""
    with st.container(border=True, height="stretch"):  # tiles in a row as tall as the tallest
        label, help_text = ((fmt.literal(tile.label), tile.help and fmt.literal(tile.help)) if tile.literal_text
                            else (tile.label, tile.help))
        st.metric(label, tile.text, delta=tile.change, delta_color=_delta_colour(tile), help=help_text,
                  delta_arrow="off" if tile.verdict == "same" else "auto", delta_description=tile.verdict_words)
        if tile.rated:
            st.badge(RAG_LABELS[tile.status], color=RAG_BADGE_COLOURS[tile.status],
                     icon=":material/circle:")
        if tile.note and not _empty_note(tile):
            # a note may open with "-" (no value yet), which markdown would draw as a bullet
            st.caption(("\\" if tile.note.startswith(("-", "+", "*")) else "") + tile.note)


# A label's width in em of its font, character by character (fitted to Chromium's Source Sans: within
# 0-17% over the measured width of every label on the pages, never under), and what a tile adds
# around it (help icon; padding and border), in rem so that it grows with large text.
NARROW_CHARACTERS, WIDE_CHARACTERS = set("iljtfr .,:;'()|!-1"), set("mwMW%")
LABEL_FONT_REM, HELP_ICON_REM, TILE_PADDING_REM = 0.875, 1.35, 2.15


def _one_line_rem(tile: Tile) -> float:
    """How wide a tile must be to draw its label, and its help icon, on one line."""
    ems = sum(0.3 if c in NARROW_CHARACTERS else 0.75 if c in WIDE_CHARACTERS else 0.58 if c.isupper() else 0.52
              for c in tile.label)
    return ems * LABEL_FONT_REM + (HELP_ICON_REM if tile.help else 0) + TILE_PADDING_REM


def _aligned_values_style(rows: list[tuple[str, list[Tile]]]) -> str:
    """Numbers at one height along a row of tiles: where a tile is too narrow for the row's longest
    label on one line, every label of the row is given two lines' height, so a tile whose label fits on
    one line no longer draws its number a line above its neighbour's. Only keys and widths go in: no
    label text."""
    rules = []
    for row_key, row in rows:
        row_class = f".st-key-{row_key}"
        rules.append(f"{row_class} > div {{ container-type: inline-size; }} "
                     f"@container (max-width: {max(map(_one_line_rem, row)):.2f}rem) "
                     f"{{ {row_class} [data-testid='stMetricLabel'] {{ min-height: 2lh; }} }}")
    return f"<style>{' '.join(rules)}</style>"


def _empty_note(tile: Tile) -> bool:
    """A tile with no value whose note only repeats that ('- loyalty penalty from 3y+ customers',
    'slowest 10%: over -'): the tile's own '-' says it."""
    return fmt.is_empty(tile.value) and bool(re.search(rf"(^|\s){re.escape(fmt.EMPTY)}(\s|$)", tile.note))


def show_tiles(tiles: list[Tile], per_row: int = 4) -> None:
    """Rows of at most per_row tiles; on a narrow screen (a projector, a laptop with the sidebar open)
    a row wraps instead of cutting its numbers to '9…' (components/assets/tiles.css)."""
    rows = []
    for start in range(0, len(tiles), per_row):
        row = tiles[start:start + per_row]
        key = zlib.crc32("|".join(tile.label for tile in row).encode())
        rows.append((f"kpi-tiles-n{min(per_row, 6)}-{start}-{key}", row))
    st.html(TILE_STYLE)  # style only: Streamlit puts it outside the page flow
    st.html(_aligned_values_style(rows))
    for key, row in rows:
        with st.container(horizontal=True, gap="small", key=key):
            for tile in row:
                show_tile(tile)
