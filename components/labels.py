"""Words for the things the data and the charter name in code: standards, dimensions, units."""
from __future__ import annotations

from charter.model import Standard
from queries.pooled import LONG_TENURE_YEARS

# Dimensions a breakdown may use; the queries match them against the same fixed list.
DIMENSIONS = {"channel": "Channel", "team": "Team", "partner": "Partner", "priority": "Priority"}
COMPLAINT_DIMENSIONS = {"category": "Category", "partner": "Partner", "channel": "Channel", "team": "Team"}

# The long-tenure share's name on the Overview, in the meeting pack and on the Pricing page: one figure, one name.
LONG_TENURE_SHARE = f"{LONG_TENURE_YEARS}y+ customers paying above new price"
# The waiting and resolution times an executive reads on the Overview (and in the meeting pack), named alike on
# the Responsiveness and Complaints pages: the pages said "Replied within (p90)" and "Resolved within (median)"
# for the same figures, which read as two measures.
FIRST_REPLY_MEDIAN = "Median time to first reply"
FIRST_REPLY_P90 = "Slowest 10% waited over"
COMPLAINT_RESOLUTION_MEDIAN = "Median complaint resolution"
# Their neighbours named the same way, a median and the time the slowest tenth went past: beside
# "Slowest 10% waited over", "Resolved within (p90)" and "Acknowledged within (median)" read as a
# different kind of figure, in a statistician's word.
COMPLAINT_RESOLUTION_P90 = "Slowest 10% resolved over"
ACKNOWLEDGE_MEDIAN = "Median time to acknowledge"
ACKNOWLEDGE_P90 = "Slowest 10% acknowledged over"

_NOUNS = {
    "acknowledge": "Acknowledgements",
    "first_response": "Replies",
    "resolution": "Resolutions",
    "follow_up": "Follow-ups",
}
_UNIT_WORDS = {"hours": "hour", "days": "day", "business_hours": "working-hour", "business_days": "working-day"}


def human_list(values) -> str:
    values = [str(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def standard_label(standard: Standard) -> str:
    """A short name for a standard: 'Replies to email, letter and web', 'Complaint resolutions'."""
    scope = dict(standard.scope)
    noun = _NOUNS[standard.measure]
    if scope.pop("kind", None) == ("complaint",):
        noun = "Complaint " + noun.lower()
    channels = scope.pop("channel", None)
    if channels:
        noun += (" to " if standard.measure in ("acknowledge", "first_response") else " for ") + human_list(channels)
    for key in scope:
        noun += f" ({key}: {human_list(standard.scope_as_written.get(key, scope[key]))})"
    return noun


def unique_standard_labels(standards) -> dict[str, str]:
    """Each standard's id -> its short name; with the id beside it where two names read the same
    (a link carries the name, so names must tell the standards apart)."""
    labels: dict[str, str] = {}
    for standard in standards:
        labels.setdefault(standard.id, standard_label(standard))
    return {i: label if list(labels.values()).count(label) == 1 else f"{label} ({i})" for i, label in labels.items()}


def promise_phrase(standard: Standard) -> str:
    """The promise as an adjective: 'the 3-working-day promise'."""
    return f"the {standard.within:g}-{_UNIT_WORDS[standard.unit]} promise"
