"""Accessibility of the executive pages in Chromium: what prints, what the keyboard reaches and
whether its focus can be seen. Colours are read as Chromium computes them and judged by WCAG AA
contrast (tests/colour_contrast.py): 4.5:1 for text, 3:1 for a focus indicator."""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from browser_helpers import wait_idle
from colour_contrast import ratio, rgb

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


# ----------------------------------------------------------------------------- text on screen

# Every piece of text on the page outside the charts (Plotly's own SVG): its colour, the first opaque
# background behind it, the opacity it is drawn with (its own and its ancestors'), its size and weight.
TEXTS = """() => {
  const parts = colour => (colour.match(/[\\d.]+/g) || []).map(Number);
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('[data-testid="stApp"]'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim(), element = walker.currentNode.parentElement;
    if (!text || !element || element.closest('svg') || !element.offsetParent) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.fontFamily.includes('Material')) continue;   // icons are glyphs
    let opacity = 1, background = null;
    for (let node = element; node; node = node.parentElement) {
      const own = getComputedStyle(node);
      opacity *= parseFloat(own.opacity);
      const fill = parts(own.backgroundColor);
      if (!background && (fill.length === 3 || fill[3] > 0.5)) background = own.backgroundColor;
    }
    found.push([text.slice(0, 40), style.color, background || 'rgb(255, 255, 255)', opacity,
                parseFloat(style.fontSize), parseInt(style.fontWeight)]);
  }
  return found;
}"""


def _seen(colour: str, background: str, opacity: float) -> str:
    """The colour a text is seen in: drawn at its alpha times `opacity` over its background."""
    alpha = (float(re.findall(r"[\d.]+", colour)[3]) if colour.startswith("rgba") else 1.0) * opacity
    return "rgb({}, {}, {})".format(*(round(alpha * c + (1 - alpha) * b) for c, b in zip(rgb(colour), rgb(background))))


@pytest.mark.parametrize("path", ["/", "/compliance", "/compliance?projector=true"])
def test_every_text_on_the_page_reads_at_wcag_aa(app, path):
    """Text 4.5:1 against what is behind it, large text (24 px, or 18.7 px bold) 3:1. Streamlit drew its
    captions at 60% opacity: the period under each title at 3.9:1, and a tile's target and its
    'better' or 'worse' (the words that say good or bad without colour) at 2.4:1, 3.2:1 with large text."""
    page = app.new_page(path)
    page.set_viewport_size({"width": 1280, "height": 800})
    faint = []
    for text, colour, background, opacity, size, weight in page.evaluate(TEXTS):
        needed = 3.0 if size >= 24 or (size >= 18.66 and weight >= 700) else 4.5
        seen = ratio(_seen(colour, background, opacity), background)
        if seen < needed:
            faint.append((text, round(seen, 2)))
    assert faint == []


# ----------------------------------------------------------------------------- the keyboard's focus

FOCUS = """() => {
  const active = document.activeElement;
  const drawn = active.matches('input') ? active.closest('label') || active : active;   // a switch's focus is its label's
  const style = getComputedStyle(drawn);
  const box = active.getBoundingClientRect();
  return {name: (active.getAttribute('aria-label') || active.innerText || '').trim(),
          testid: (active.closest('[data-testid]') || active).getAttribute('data-testid'),
          outline: [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor],
          behind: getComputedStyle(active.closest('[data-testid="stSidebar"]') || document.body).backgroundColor,
          top: box.top, bottom: box.bottom, height: box.height,
          header: document.querySelector('[data-testid="stHeader"]').getBoundingClientRect().bottom,
          inMain: !!active.closest('[data-testid="stMain"]') && active.tagName !== 'MAIN'};
}"""


def _tab_to(page, wanted, presses: int = 40) -> dict:
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if wanted(focused):
            return focused
    raise AssertionError("Tab never reached it")


def _outline_contrast(focused: dict) -> float:
    style, width, colour = focused["outline"]
    return ratio(colour, focused["behind"]) if style not in ("none", "hidden") and width >= 2 else 1.0


def test_the_keyboard_focus_can_be_seen_in_the_sidebar(app):
    """Tab through the sidebar: the page link with the focus was marked only by the pale grey the page
    on screen has too, and the large-text switch by a faint grey behind its words. Each now has an
    outline of 2 px or more at 3:1 against the sidebar (WCAG 1.4.11 for a focus indicator)."""
    page = app.new_page("/compliance")
    link = _tab_to(page, lambda focused: focused["testid"] == "stSidebarNavLink" and focused["name"].endswith("Pricing & loyalty"))
    switch = _tab_to(page, lambda focused: focused["name"] == "Large text for a projector")
    assert [(seen["name"].splitlines()[-1], round(_outline_contrast(seen), 1) >= 3) for seen in (link, switch)] == \
        [("Pricing & loyalty", True), ("Large text for a projector", True)]


def test_a_control_reached_with_the_keyboard_is_not_hidden_under_the_header_bar(app):
    """Tab through the Compliance page at 1280x800: after the weekly trend's CSV download comes the
    "Break down by" of the chart beside it, higher up the page; Chromium scrolled it to the window's top,
    under Streamlit's header bar (60 px, drawn over the page). Every control in the main area must be
    whole below that bar when it has the focus."""
    page = app.new_page("/compliance")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_timeout(500)
    hidden, reached = [], set()
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if not focused["inMain"] or not focused["height"]:
            continue
        reached.add(focused["testid"])
        if focused["top"] < focused["header"] - 1:
            hidden.append((focused["testid"], focused["name"][:30], round(focused["top"]), round(focused["header"])))
    assert "stButtonGroup" in reached   # the "Break down by" buttons were reached
    assert hidden == []


# ----------------------------------------------------------------------------- the breaches by keyboard

def test_the_breaches_behind_a_week_and_a_partner_open_with_the_keyboard_alone(app):
    """The drill-through was a click on a chart's point, which takes no focus: with the keyboard, the
    breaches behind a week could not be listed. Tab reaches a Week list and a Partner list under "The
    breaches behind the numbers"; picking from them lists only those breaches, as a click does: as
    many as the weekly chart's CSV says were missed that week, and the link keeps the pick."""
    from test_drill import breaches_listed, chart_csv

    page = app.new_page("/compliance")
    missed_by_week = {row["week"][:10]: int(row["missed"]) for row in chart_csv(page, "Compliance week by week")}
    _tab_to(page, lambda focused: focused["name"] == "Week")   # on from the CSV button just clicked
    page.keyboard.press("ArrowDown")   # opens the list one past "Every week": the first week
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"^Showing only w/c ")).wait_for()
    wait_idle(page)
    week = parse_qs(urlparse(page.url).query)["week"][0]
    assert week == min(missed_by_week)
    assert breaches_listed(page) == missed_by_week[week]

    _tab_to(page, lambda focused: focused["name"] == "Partner")
    page.keyboard.press("ArrowDown")   # the worst partner, listed first as in the chart
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"^Showing only w/c .* · partner: ")).wait_for()
    wait_idle(page)
    assert set(parse_qs(urlparse(page.url).query)) >= {"week", "bar"}
    assert breaches_listed(page) <= missed_by_week[week]


# ----------------------------------------------------------------------------- headings and charts for a screen reader

# The headings a screen reader lists in the main area, in page order: their level (h1-h6, or an element
# with role heading and its aria-level) and words. Those not drawn (a tab not open) are not read either.
HEADINGS = """() => [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6, [role="heading"])')]
  .filter(heading => heading.checkVisibility())
  .map(heading => [heading.getAttribute('aria-level') ? parseInt(heading.getAttribute('aria-level'))
                                                      : parseInt(heading.tagName.slice(1)),
                   heading.innerText.trim().slice(0, 60)])"""


def _skips(headings: list) -> list:
    """Each heading that comes more than one level below the one before it (h1 then h5: a skip)."""
    return [(before, after) for before, after in zip(headings, headings[1:]) if after[0] > before[0] + 1]


@pytest.mark.parametrize("path", ["/", "/compliance", "/responsiveness", "/complaints", "/pricing", "/data", "/charter",
                                  "/responsiveness?projector=true"])
def test_the_headings_go_down_one_level_at_a_time(app, path, tmp_path):
    """A screen reader's list of headings is the page's outline. Under the page's title (h1) its question
    was an h5 and the sections h3s: h1, h5, h3. Now the question is the h2 and no heading comes more than
    one level below the one before it, signed in as manager too on the Data and Charter pages. The question
    keeps its look: smaller than the sections' headings under it."""
    from browser_helpers import sign_in

    page = app.new_page(path, new_context=path in ("/data", "/charter"))
    headings = page.evaluate(HEADINGS)
    assert [level for level, _ in headings[:2]] == [1, 2]
    assert _skips(headings) == []
    sizes = page.evaluate("""() => ['h2', 'h3'].map(tag => {
      const heading = document.querySelector('[data-testid="stMain"] ' + tag);
      return heading ? parseFloat(getComputedStyle(heading).fontSize) : null; })""")
    assert sizes[1] is None or sizes[0] < sizes[1]
    if path in ("/data", "/charter"):
        sign_in(page)
        wait_idle(page)
        signed_in = page.evaluate(HEADINGS)
        assert len(signed_in) > len(headings)   # the manager's sections were read too
        assert _skips(signed_in) == []
    if path == "/data":   # a file in a layout not recognised: "Map the file's columns" under "Upload a weekly export"
        unknown = tmp_path / "unknown-layout.csv"
        unknown.write_text("foo,bar,baz\n1,2,3\n", encoding="utf-8")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(unknown))
        page.get_by_text("Map the file's columns").wait_for()
        wait_idle(page)
        mapping = page.evaluate(HEADINGS)
        assert [2, "Upload a weekly export"] in mapping and [3, "Map the file's columns"] in mapping
        assert _skips(mapping) == []


# Each chart Streamlit draws: the role and accessible name of its figure, and the title Plotly writes in the
# SVG (its lines as separate pieces of text).
CHARTS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
  const named = chart.closest('[role="figure"], [role="img"]') || chart.querySelector('[role="figure"], [role="img"]');
  return [named ? named.getAttribute('role') : null, named ? named.getAttribute('aria-label') : null,
          [...chart.querySelectorAll('.gtitle tspan.line, .gtitle')].map(part => part.textContent).slice(-1)[0] || '',
          [...chart.querySelectorAll('.gtitle tspan.line')].map(line => line.textContent).join(' ')];
})"""


@pytest.mark.parametrize("path", ["/", "/compliance", "/responsiveness", "/complaints", "/pricing", "/?projector=true"])
def test_every_chart_has_a_text_alternative_that_names_its_measure(app, path):
    """A Plotly chart is an SVG a screen reader has no words for: the charts had no accessible name. Each
    now is a figure named by its title (what it measures, as Plotly draws it on screen) and figures from
    its data: '...: 13 weeks; w/c 16 Nov 2026 so far: Contacts 1,528'."""
    page = app.new_page(path)
    charts_seen = page.evaluate(CHARTS)
    assert len(charts_seen) >= 2
    unnamed = []
    for role, name, whole_title, lines in charts_seen:
        title = " ".join((lines or whole_title).split())
        if role not in ("figure", "img") or not name or not title or not name.startswith(title + ":") \
                or not re.search(r"\d", name[len(title):]):
            unnamed.append((role, name, title))
    assert unnamed == []
