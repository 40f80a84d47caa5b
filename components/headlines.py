"""One plain-English sentence per area, written from the numbers (never from a template that can
contradict them), each figure printed as its tile prints it."""
from __future__ import annotations

from dataclasses import dataclass

from components import formatting as fmt
from components.tiles import FORMATS, change_text, few_note, rag_text


@dataclass(frozen=True)
class StandardResult:
    """A charter standard's figures for the period, as the headline needs them."""
    label: str          # "Replies to email, letter and web"
    promise: str        # "the 3-working-day promise"
    target: float
    compliance: float | None
    judged: int         # met + missed


@dataclass(frozen=True)
class Weakest:
    """The weakest value of a dimension for one standard: ('partner', 'FixRight Repairs', 0.62)."""
    dimension: str
    value: str
    compliance: float


def headline_pct(share: float, against: float | None = None) -> str:
    """A share as the tile beside the sentence prints it (one decimal: '94.9%' never sits above a
    tile's 94.9% as '95%'), and never rounded up across the line it is judged against."""
    if against is not None:
        return rag_text(share, against)
    return fmt.pct(share)


def _movement(current, previous, threshold: float) -> str | None:
    """'up', 'down' or 'steady' against the previous period; None when there is nothing to compare."""
    if fmt.is_empty(current) or fmt.is_empty(previous):
        return None
    difference = float(current) - float(previous)
    if abs(difference) < threshold:
        return "steady"
    return "up" if difference > 0 else "down"


def _base(count, one: str, many: str) -> str:
    """' (based on only 1 rating)' after a figure resting on fewer than the tiles' bound (few_note), else '':
    the sentence beside a tile saying 'based on only 1 rating' read as a settled 'averaged 1.00 out of 5'."""
    note = few_note(count, one, many)
    return f" ({note})" if note else ""


def band_phrase(band: str) -> str:
    """'> 30% above' -> 'more than 30% above the new price'; 'At or below new price' -> 'at or below the new price'."""
    text = band.replace("> ", "more than ").replace("new price", "the new price")
    text = text[0].lower() + text[1:]
    return text if "new price" in text else f"{text} the new price"


def charter_headline(results: list[StandardResult], weakest: Weakest | None) -> str:
    judged = [r for r in results if r.judged and r.compliance is not None]
    if not judged:
        return "No contact in this period has been judged against the charter yet."
    below = [r for r in judged if r.compliance < r.target - 1e-9]
    focus = max(judged, key=lambda r: r.target - r.compliance)
    count_text = f"{len(below)} of {len(judged)} promises {'is' if len(below) == 1 else 'are'} below target"
    if not below:
        return (f"All {len(judged)} charter promises met their targets; the closest call was "
                f"{focus.label.lower()} at {headline_pct(focus.compliance, focus.target)} "
                f"against {fmt.target(focus.target)}{_base(focus.judged, 'contact', 'contacts')}.")
    text = (f"{focus.label} met {focus.promise} {headline_pct(focus.compliance, focus.target)} of the time"
            f"{_base(focus.judged, 'contact', 'contacts')}, below the {fmt.target(focus.target)} target")
    if weakest is not None and weakest.compliance < focus.compliance:
        noun = "slowest partner" if weakest.dimension == "partner" else f"weakest {weakest.dimension}"
        text += f"; the {noun} was {weakest.value} ({headline_pct(weakest.compliance, focus.target)})"
    return f"{text}. {count_text[0].upper()}{count_text[1:]}."


def responsiveness_headline(contacts, median_hours, p90_hours, previous_median=None, previous_p90=None, *,
                            working: bool = False) -> str:
    """The hours are calendar time, or with `working` the charter's working hours (never as days)."""
    if not contacts:
        return "No contacts were received in this period."
    if fmt.is_empty(median_hours):
        return f"{fmt.plural(contacts, 'contact', 'contacts')} received; none has had a first full reply yet."
    shown = fmt.working_hours if working else fmt.duration
    text = (f"{fmt.plural(contacts, 'contact', 'contacts')} received; half had a first full reply within "
            f"{shown(median_hours)} and nine in ten within {shown(p90_hours)} "
            f"({'working' if working else 'calendar'} time)")
    movement = _movement(median_hours, previous_median, threshold=0.05)
    # worded as the tile beside it words the change ("0.4 h", not "26 min" beside "-0.4 h"); a change
    # that reads as nothing there ("0.0 days" between two medians of two days) is about the same
    amount = (change_text(median_hours, previous_median, "working_hours" if working else "duration") or "").lstrip("+-")
    if movement and not any(digit in amount for digit in "123456789"):
        movement = "steady"
    if movement == "steady":
        text += ", the median about the same as in the previous period"
    elif movement:
        word = "slower" if movement == "up" else "faster"
        text += f", the median {amount} {word} than the previous period"
    # The slowest tenth can move while the median holds: say so when it moved the other way or alone
    # (by more than a tenth of its previous value), so "about the same" never hides it.
    tail = _movement(p90_hours, previous_p90, threshold=0.1 * abs(float(previous_p90)) if not fmt.is_empty(previous_p90) else 0)
    if movement and tail not in (None, "steady", movement):
        word = "longer" if tail == "up" else "less"
        text += f"; but the slowest tenth waited {word} ({shown(p90_hours)} against {shown(previous_p90)})"
    return text + "."


def complaints_headline(count, per_1000, median_hours, reopen_rate, csat_mean, previous_per_1000=None, *,
                        timed=None, resolved=None, rated=None) -> str:
    """timed, resolved and rated: the bases of the resolution time, the reopen rate and the CSAT (the
    complaints resolved with a time, those resolved, those rated), said when few, as their tiles say."""
    if not count:
        return "No complaints in this period."
    # steady when the two rates read the same as printed (57.27 against 57.32: both 57.3)
    movement = _movement(per_1000, previous_per_1000, threshold=0.05)
    if movement and fmt.number(per_1000) == fmt.number(previous_per_1000):
        movement = "steady"
    change = {None: "", "steady": ", steady on the previous period"}.get(
        movement, f", {movement} from {fmt.number(previous_per_1000)}")
    parts = [f"{fmt.plural(count, 'complaint', 'complaints')} ({fmt.number(per_1000)} per 1,000 contacts{change})"]
    timed_base = _base(timed, "resolved complaint", "resolved complaints") if not fmt.is_empty(median_hours) else ""
    if not fmt.is_empty(median_hours):
        parts.append(f"half were resolved within {fmt.duration(median_hours)}{timed_base}")
    if not fmt.is_empty(reopen_rate):
        resolved_base = _base(resolved, "resolved complaint", "resolved complaints")
        # said once where the resolution time's base is the same ('based on only 2 resolved complaints' twice)
        parts.append(f"{headline_pct(reopen_rate)} of resolved complaints were reopened"
                     + ("" if resolved_base == timed_base else resolved_base))
    if not fmt.is_empty(csat_mean):
        # as the CSAT tile prints it ('3.49', never '3.5' above it)
        parts.append(f"satisfaction averaged {FORMATS['score'](csat_mean)} out of 5" + _base(rated, "rating", "ratings"))
    return "; ".join(parts) + "."


def pricing_headline(share_above_long, median_gap_oldest, penalty, penalty_long=None, min_years: int = 3,
                     bills_in_period: int = 0, any_bills: bool = True) -> str:
    if fmt.is_empty(share_above_long):
        if not any_bills:
            return "No price data yet: load prices and customers on the Data page to see the loyalty penalty."
        if not bills_in_period:
            return ("No bill is dated in this period (a bill carries the date its billing period starts): "
                    "widen the period to see the loyalty penalty.")
        return f"No bill of a customer of {min_years}+ years in this period has a new-customer price to compare with."
    text = (f"Customers of {min_years}+ years paid more than a new customer on "
            f"{headline_pct(share_above_long)} of their bills")
    if not fmt.is_empty(median_gap_oldest):
        text += f" (5+ years: a median {fmt.signed_pct(median_gap_oldest)})"
    if not fmt.is_empty(penalty):
        text += f"; the loyalty penalty across all customers came to {fmt.money(penalty)} in the period"
        if not fmt.is_empty(penalty_long):
            text += f", {fmt.money(penalty_long)} of it from customers of {min_years}+ years"
    return text + "."


def churn_headline(monthly, annualised, highest_band=None, highest=None, lowest_band=None, lowest=None, *,
                   months: str | None = None) -> str:
    """months: the whole months churn counts, as the tile beside the sentence names them ('Aug - Nov 2026'):
    they are not the period's days the header names."""
    if fmt.is_empty(monthly):
        return "No customer data for this period: load customers on the Data page to see churn."
    text = f"Monthly churn averaged {fmt.pct(monthly)}{f' in {months}' if months else ''} ({fmt.pct(annualised, 1)} a year)"
    if highest_band and lowest_band and not fmt.is_empty(highest) and not fmt.is_empty(lowest) and highest > lowest:
        text += (f"; customers paying {band_phrase(highest_band)} left at {fmt.pct(highest, 1)} a year, "
                 f"against {fmt.pct(lowest, 1)} for those paying {band_phrase(lowest_band)}")
    return text + "."
