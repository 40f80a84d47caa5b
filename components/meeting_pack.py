"""The meeting pack: the Overview for the chosen period as one self-contained HTML file (KPI values,
RAG scorecard, headlines and the charts inline with plotly.js embedded), to attach to an email or
open offline in the Monday meeting."""
from __future__ import annotations

from html import escape

from components import scorecard
from components.charts import FONT, INK, MUTED, RAG_COLOURS, RAG_TEXT, text_alternative
from components.overview import OverviewContent
from components.tiles import RAG_LABELS, Tile

VERDICT_COLOURS = {"better": RAG_COLOURS["green"], "worse": RAG_COLOURS["red"], "same": MUTED, None: MUTED}

STYLE = f"""
body {{ font-family: {FONT}; color: {INK}; margin: 32px auto; max-width: 1240px; padding: 0 24px; }}
h1 {{ font-size: 28px; margin: 0 0 4px; }}
h2 {{ font-size: 19px; margin: 32px 0 12px; border-bottom: 1px solid #E4E7EB; padding-bottom: 6px; }}
.meta {{ color: {MUTED}; font-size: 14px; margin-bottom: 8px; }}
.headlines li {{ margin: 6px 0; font-size: 15.5px; line-height: 1.45; }}
.headlines b {{ margin-right: 6px; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; }}
.tile {{ border: 1px solid #E4E7EB; border-radius: 10px; padding: 12px 14px; }}
.tile .label {{ font-size: 13px; color: {MUTED}; }}
.tile .value {{ font-size: 28px; font-weight: 600; margin: 4px 0; }}
.tile .change {{ font-size: 13px; }}
.tile .note {{ font-size: 12.5px; color: {MUTED}; margin-top: 4px; }}
p.note {{ font-size: 12.5px; color: {MUTED}; margin: 6px 0 0; }}
.badge {{ display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 12px; color: white; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; }}
th, td {{ text-align: left; padding: 6px 10px; border-bottom: 1px solid #E4E7EB; }}
td.num, th.num {{ text-align: right; }}
.chart {{ margin: 8px 0 24px; }}
footer {{ color: {MUTED}; font-size: 12px; margin-top: 32px; }}
/* A printer leaves backgrounds out: a status badge's white words on green or red came out white on white.
   On paper the badge is its words in ink inside an outline, legible in black and white too. */
@media print {{ .badge {{ background: none !important; color: {INK} !important; border: 1px solid {INK}; }} }}
"""


def _badge(status: str | None) -> str:
    return (f'<span class="badge" style="background:{RAG_COLOURS[status]}; color:{RAG_TEXT[status]}">'
            f'{escape(RAG_LABELS[status])}</span>')


def _tile(tile: Tile) -> str:
    change = ""
    if tile.change:
        words = f" ({tile.verdict_words})" if tile.verdict_words else ""
        change = f'<div class="change" style="color:{VERDICT_COLOURS[tile.verdict]}">{escape(tile.change)}{words}</div>'

    badge = f"<div>{_badge(tile.status)}</div>" if tile.rated else ""
    note = f'<div class="note">{escape(tile.note)}</div>' if tile.note else ""
    return (f'<div class="tile"><div class="label">{escape(tile.label)}</div>'
            f'<div class="value">{escape(tile.text)}</div>{change}{badge}{note}</div>')


def _scorecard_table(content: OverviewContent) -> str:
    """The scorecard the app shows and downloads (scorecard.table), with its rows, names and figures."""
    columns = [c for c in content.scorecard_table.columns if c != "Provisional"]   # said beside the status
    kind = {c: " class='num'" if c in scorecard.NUMBERS else "" for c in columns}

    def cell(row, column: str) -> str:
        if column == "Status":
            return _badge(scorecard.STATUS_CODES[row[column]]) + (" provisional" if row["Provisional"] else "")
        if column in scorecard.NUMBERS:
            return escape(scorecard.cell_text(row, column))   # '-' for a compliance not judged yet
        return escape(str(row[column]))

    head = "".join(f"<th{kind[c]}>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td{kind[c]}>{cell(row, c)}</td>" for c in columns) + "</tr>"
                   for _, row in content.scorecard_table.iterrows())
    return f"<table><tr>{head}</tr>{body}</table><p class=\"note\">{escape(scorecard.NOTE)}</p>"


def build_html(content: OverviewContent, title: str = "Charter Desk — meeting pack") -> str:
    filters = escape(content.filters) if content.filters else "all channels, teams, partners and products"
    charts = []
    for number, figure in enumerate(content.figures):
        # plotly.js is embedded once, with the first chart; the file works offline.
        # the words a screen reader says for the chart, as the page gives them (charts.text_alternative)
        alt = text_alternative(figure.figure)
        named = f' role="figure" aria-label="{escape(alt)}"' if alt else ""
        charts.append(f'<div class="chart"{named}>' + figure.figure.to_html(
            full_html=False, include_plotlyjs=number == 0, config={"displaylogo": False, "responsive": True},
            default_width="100%") + "</div>")
    changes = f" · changes {escape(content.comparison)}" if content.comparison else ""
    headlines = "".join(f"<li><b>{escape(area)}</b> {escape(text)}</li>" for area, text in content.headlines)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} · {escape(content.period)}</title>
<style>{STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<div class="meta">Period <b>{escape(content.period)}</b>{changes} · data as of {escape(content.as_of)} · {filters}</div>
<h2>Headlines</h2>
<ul class="headlines">{headlines}</ul>
<h2>Charter scorecard</h2>
<div class="grid">{''.join(_tile(t) for t in content.standard_tiles)}</div>
<p class="note">{escape(content.compliance_comparison)}</p>{_scorecard_table(content)}
<h2>Service, complaints and loyalty</h2>
<div class="grid">{''.join(_tile(t) for t in content.tiles)}</div>
<h2>Charts</h2>
{''.join(charts)}
<footer>Green at or above target, amber within 5 points below, red below that. Generated by Charter Desk.</footer>
</body></html>"""


def file_name(content: OverviewContent) -> str:
    return f"charter-desk-meeting-pack-{content.file_period}.html"
