"""Accessibility of the executive pages in Chromium: what prints, what the keyboard reaches and
whether its focus can be seen. Colours are read as Chromium computes them and judged by WCAG AA
contrast (tests/colour_contrast.py): 4.5:1 for text, 3:1 for a focus indicator."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from colour_contrast import ratio

pytestmark = pytest.mark.browser


# ----------------------------------------------------------------------------- the meeting pack on paper

# Each badge as it prints: its words' colour and the background under them, which a printer leaves
# out (white paper) unless the page asks for it to be kept (print-color-adjust: exact).
PRINTED_BADGES = """() => [...document.querySelectorAll('.badge')].map(badge => {
  const style = getComputedStyle(badge);
  const kept = style.printColorAdjust === 'exact';
  return [badge.textContent, style.color, kept ? style.backgroundColor : 'white'];
})"""


def test_the_meeting_pack_prints_its_status_words_legibly(browser, tmp_path):
    """Printed for the meeting, the pack's RAG badges said nothing: white words on a green or red
    background that the printer leaves out. On paper each status must read at 4.5:1 against white."""
    from page_helpers import build_small_company

    build_small_company(tmp_path, Path(os.environ["DASHBOARD_DB"]), Path(os.environ["DASHBOARD_CHARTER"]))
    from components import meeting_pack, overview
    from queries import Filters

    pack = tmp_path / "pack.html"
    pack.write_text(meeting_pack.build_html(overview.gather(Filters(date(2026, 2, 2), date(2026, 2, 15)))),
                    encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(pack.as_uri())
        page.emulate_media(media="print")
        badges = page.evaluate(PRINTED_BADGES)
    finally:
        page.close()
    # the small company: Replies 66.7% and Complaint resolutions 50.0%, both below target (tiles and table)
    assert [words for words, _, _ in badges].count("Below target") == 4
    faint = [(words, colour, paper, round(ratio(colour, paper), 2)) for words, colour, paper in badges
             if ratio(colour, paper) < 4.5]
    assert faint == []
