"""Overview: are we keeping the charter, and how are service, complaints and loyalty moving?"""
import streamlit as st

from components import charts, empty, formatting as fmt, meeting_pack, overview, scorecard
from components.filters import current_filters
from components.layout import header, side_by_side
from components.tables import download
from components.tiles import show_tiles

filters = current_filters()
empty.require_contacts()
header("Overview", "Are we keeping our promises to customers, and what is changing?", filters)
content = overview.gather(filters)
if not content.contacts:
    empty.no_rows()
# The promises' tiles come first, their explanation under them and the headlines after them: above
# the tiles, the five sentences filled a laptop's or a 720-line projector's first screen, and the
# numbers the meeting is about started below the fold. The meeting pack sits at the right of the
# scorecard's heading, not on a row of its own above it (60 px more of the first screen), nor beside the
# title, where a narrow screen cut its label or broke the title; where the two do not fit on one line,
# the button goes under the heading.
with st.container(horizontal=True, horizontal_alignment="distribute", vertical_alignment="center"):
    st.subheader("Charter scorecard", width="content")
    st.download_button("Meeting pack (HTML)", data=lambda: meeting_pack.build_html(content),
                       file_name=meeting_pack.file_name(content), mime="text/html", key="meeting-pack",
                       icon=":material/slideshow:", type="primary", on_click="ignore",
                       help="This page for the chosen period as one file with the charts inside; opens offline in any browser.")
if content.standard_tiles:
    show_tiles(content.standard_tiles, per_row=len(content.standard_tiles) if len(content.standard_tiles) <= 5 else 4)
    st.caption("Share of contacts that met each promise: met / (met + missed); pending contacts are not counted yet. "
               "Green at or above target, amber within 5 points below, red further below. "
               + content.compliance_comparison)
    download(content.scorecard_table, scorecard.FILE_NAME, "scorecard", label="Download the scorecard (CSV)")
else:
    empty.no_standards()

with st.container(border=True):
    for area, text in content.headlines:
        st.markdown(f"**{area}** · {fmt.literal(text)}")  # the text names partners from uploads

st.subheader("Service, complaints and loyalty")
show_tiles(content.tiles, per_row=3)

# The week-by-week scorecard reads best at full width; the other charts go two by two.
first, *others = content.figures or [None]
if first is not None:
    charts.show(first.figure, first.data, first.key, f"overview-{first.key}")
for row in range(0, len(others), 2):
    for column, figure in zip(side_by_side(f"charts-{row}"), others[row:row + 2]):
        with column:
            charts.show(figure.figure, figure.data, figure.key, f"overview-{figure.key}")
