"""Deterministic demo and benchmark data for Charter Desk.

The data tells the story of "Brightwater Home Services", a fictional UK energy and broadband
supplier, over about two years ending on ``end_date``:

* contacts arrive mostly on weekday mornings and after lunch, more on Mondays, fewer at weekends
  and on English bank holidays; the office replies Mon-Fri 09:00-17:30, the phone/chat contact
  centre Mon-Sat 08:00-20:00;
* about one contact in ten is a complaint; complaints take days to resolve, some are reopened,
  most get a follow-up call and some a CSAT score;
* two repair partners: "FixRight Repairs" (about twice as slow as in-house) and
  "Swift Field Services" (about in-house speed);
* bad weeks an executive would recognise: a winter storm (surge of outage calls, slow replies), a
  billing-system migration (billing complaints, slow Billing team), Christmas backlogs and the
  April mid-contract price rises;
* customers "price walk": the longer they stay, the further they pay above the new-customer
  price, and those paying most above it (and the unhappiest) leave more often.

Everything is vectorised with numpy (loops only run over small vocabularies, chunks and blocks,
never over rows): 10 million contacts and 1 million customers take about a minute of one core and
under 1 GB of memory, because contacts are generated and written a million at a time and prices a
block of customers at a time. The same arguments always give byte-identical files.

With the defaults (104 weeks to Friday 2026-11-20) the bad weeks are: Christmas 2024 and 2025, the
April 2025 and 2026 price rises, the storm in the week of Monday 2026-01-19 and the billing-system
migration in the week of Monday 2026-06-08 (both placed relative to end_date).

Times are written the way a UK helpdesk exports them: naive Europe/London wall-clock time,
``YYYY-MM-DD HH:MM:SS``, blank when missing. Internally a time is a count of seconds since
1970-01-01 00:00 *on the local wall clock* (not UTC), which makes working-hours arithmetic simple.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import date, timedelta
from collections.abc import Iterable, Iterator
from pathlib import Path

import holidays
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

MINUTE = 60
HOUR = 3_600
DAY = 86_400
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

CONTACT_COLUMNS = (
    "ticket_id", "opened_at", "customer_id", "kind", "channel", "priority", "team", "agent",
    "partner", "category", "acknowledged_at", "first_response_at", "resolved_at", "follow_up_at",
    "reopened_count", "csat", "updated_at",
)
CUSTOMER_COLUMNS = ("customer_id", "joined_at", "left_at", "segment", "product", "region")
PRICE_COLUMNS = ("customer_id", "period", "price_paid", "product", "new_customer_price", "channel")

# --------------------------------------------------------------------------------------------
# Vocabulary. Codes used in the arrays are the positions in these tuples.
# --------------------------------------------------------------------------------------------

PHONE, EMAIL, CHAT, WEB, LETTER = range(5)
CHANNELS = ("phone", "email", "chat", "web", "letter")
# Complaints come in writing more often than enquiries do; the blend is ~35/25/20/15/5.
ENQUIRY_CHANNEL_MIX = (0.360, 0.245, 0.210, 0.150, 0.035)
COMPLAINT_CHANNEL_MIX = (0.300, 0.290, 0.110, 0.150, 0.150)
LIVE_CHANNELS = np.array([True, False, True, False, False])  # handled by the contact centre

PRIORITIES = ("low", "normal", "high", "urgent")
ENQUIRY_PRIORITY_MIX = (0.20, 0.65, 0.12, 0.03)
COMPLAINT_PRIORITY_MIX = (0.05, 0.50, 0.33, 0.12)
PRIORITY_SPEED = np.array([1.25, 1.0, 0.7, 0.4])  # urgent work is picked up first

BILLING, TECHNICAL, MOVES, RETENTIONS, COMPLAINTS_TEAM = range(5)
TEAMS = ("Billing", "Technical Support", "Moves & Home Setup", "Retentions",
         "Complaints Resolution")
AGENTS_BY_TEAM = (
    ("Aisha Rahman", "Tom Fletcher", "Zoë Müller", "Gareth Hughes", "Priya Patel", "Liam Walsh",
     "Sophie Turner", "Kwame Mensah", "Hannah Brooks", "Dominika Nowak", "Callum Reid",
     "Fatima Begum", "Oliver Grant", "Megan Price", "Ravi Sharma"),
    ("José Álvarez", "Ben Carter", "Chloe Evans", "Dafydd Rhys", "Marek Kowalski",
     "Jade Thompson", "Imran Hussain", "Lucy Bennett", "Connor McLeod", "Ngozi Okafor",
     "Sam Wright", "Élodie Martin", "Ryan Doyle", "Hollie Parker"),
    ("Siân O'Brien", "Jack Robinson", "Amara Osei", "Ellie Ward", "Nathan Hall", "Bethan Morgan",
     "Tariq Aziz", "Grace Kelly-Shaw", "Owen Lloyd", "Inês Sousa"),
    ("Charlotte Webb", "Harry Mitchell", "Leah Cohen", "Daniel Okoro", "Rosie Clarke",
     "Mohammed Ali", "Freya Lindqvist", "Josh Bailey", "Anna Nguyen"),
    ("Niamh Gallagher", "Søren Jensen", "Rebecca Stone", "Ciarán Murphy", "Helen Foster",
     "David Chen", "Kirsty MacDonald", "Adebayo Adeyemi", "Laura Jenkins", "Renée Dubois",
     "Paul Harrison", "Yasmin Malik"),
)
AGENTS = tuple(name for team in AGENTS_BY_TEAM for name in team)

IN_HOUSE, FIXRIGHT, SWIFT = -1, 0, 1
PARTNERS = ("FixRight Repairs", "Swift Field Services")
PARTNER_SHARE = 0.08          # of all contacts
FIXRIGHT_SHARE = 0.55         # of partner contacts
PARTNER_SPEED = {FIXRIGHT: 2.0, SWIFT: 1.05}


@dataclass(frozen=True)
class Category:
    name: str
    complaint: bool
    team: int
    family: str          # "energy", "broadband" or "any": which customers raise it
    weight: float
    field_work: bool = False  # the kind of job a repair partner may be sent out on


CATEGORIES = (
    Category("billing error", True, BILLING, "any", 22),
    Category("price increase", True, RETENTIONS, "any", 11),
    Category("engineer missed appointment", True, TECHNICAL, "any", 10, True),
    Category("broadband outage", True, TECHNICAL, "broadband", 14, True),
    Category("slow broadband speed", True, TECHNICAL, "broadband", 8),
    Category("repair not fixed", True, TECHNICAL, "any", 9, True),
    Category("poor communication", True, COMPLAINTS_TEAM, "any", 12),
    Category("direct debit problem", True, BILLING, "any", 10),
    Category("smart meter fault", True, TECHNICAL, "energy", 12, True),
    Category("moving home problem", True, MOVES, "any", 6),
    Category("bill query", False, BILLING, "any", 24),
    Category("move home", False, MOVES, "any", 12),
    Category("new connection", False, MOVES, "any", 8, True),
    Category("payment arrangement", False, BILLING, "any", 10),
    Category("meter reading", False, BILLING, "energy", 16),
    Category("product question", False, RETENTIONS, "any", 10),
    Category("contract renewal", False, RETENTIONS, "any", 8),
    Category("fault report", False, TECHNICAL, "any", 12, True),
    Category("smart meter booking", False, TECHNICAL, "energy", 8, True),
    Category("broadband setup", False, TECHNICAL, "broadband", 10, True),
)
CATEGORY_NAMES = tuple(c.name for c in CATEGORIES)
CATEGORY_TEAM = np.array([c.team for c in CATEGORIES])
CATEGORY_FIELD_WORK = np.array([c.field_work for c in CATEGORIES])


def category_code(name: str) -> int:
    return CATEGORY_NAMES.index(name)


ENERGY, BROADBAND = 0, 1
FAMILIES = ("energy", "broadband")


@dataclass(frozen=True)
class Product:
    name: str
    family: int
    start_price: float    # new-customer price (GBP per month) eleven years before end_date
    drift: float          # mean monthly log change of the new-customer price
    volatility: float     # sd of each log change
    reprice_every: int    # months between changes (3 = quarterly, like the energy price cap)
    share: float


PRODUCTS = (
    Product("Energy Fixed", ENERGY, 98.0, 0.0020, 0.012, 1, 0.30),
    Product("Energy Variable", ENERGY, 104.0, 0.0020, 0.035, 3, 0.25),
    Product("Broadband 100", BROADBAND, 27.0, 0.0005, 0.008, 1, 0.26),
    Product("Broadband 500", BROADBAND, 44.0, -0.0005, 0.010, 1, 0.19),
)
PRODUCT_FAMILY = np.array([p.family for p in PRODUCTS])
SEGMENTS, SEGMENT_MIX = ("residential", "small business"), (0.88, 0.12)
SALES_CHANNELS, SALES_CHANNEL_MIX = ("online", "phone", "partner"), (0.55, 0.35, 0.10)
REGIONS = ("London", "South East", "South West", "East of England", "West Midlands",
           "East Midlands", "Yorkshire and the Humber", "North West", "North East", "Wales",
           "Scotland", "Northern Ireland")
REGION_MIX = (0.135, 0.138, 0.085, 0.093, 0.089, 0.073, 0.082, 0.110, 0.040, 0.047, 0.082, 0.026)

# Arrivals per hour of the day: a mid-morning peak and a second one after lunch.
WEEKDAY_HOURLY = (0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4.5, 8.5, 10.5, 10.0,
                  8.0, 6.5, 8.5, 9.0, 8.0, 6.5, 4.5, 3.2, 2.2, 1.5, 1.0, 0.5)
WEEKEND_HOURLY = (0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 1.0, 2.5, 5.0, 7.0, 8.0,
                  8.0, 7.5, 7.0, 6.5, 5.5, 4.5, 3.5, 3.0, 2.5, 2.0, 1.2, 0.6)
WEEKDAY_VOLUME = np.array([1.28, 1.10, 1.02, 1.00, 0.94, 0.42, 0.28])  # Monday first
BANK_HOLIDAY_VOLUME = 0.3

OFFICE_OPENS, OFFICE_CLOSES = 9 * HOUR, 17 * HOUR + 30 * MINUTE
WORKING_DAY = OFFICE_CLOSES - OFFICE_OPENS
CENTRE_OPENS, CENTRE_CLOSES = 8 * HOUR, 20 * HOUR

BASE_COMPLAINT_RATE = 0.087
CUSTOMER_LINK_SHARE = 0.86    # a few draws find no active customer, leaving ~85% linked
INVALID_DURATION_SHARE = 0.0005
UPDATED_AT_BLANK_SHARE = 0.05
NCP_BLANK_SHARE = 0.10
CHUNK_ROWS = 1_000_000        # contacts are generated and written this many at a time
CUSTOMER_BLOCK = 200_000      # customers priced at a time (a customers x months matrix each)


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------

def epoch_day(d: date) -> int:
    return d.toordinal() - EPOCH_ORDINAL


def date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day of month) of epoch-day numbers."""
    as_dates = days.astype("datetime64[D]")
    months = as_dates.astype("datetime64[M]")
    month_number = months.astype(np.int64)
    day_of_month = (as_dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    return month_number // 12 + 1970, month_number % 12 + 1, day_of_month


def weekday_of(days: np.ndarray) -> np.ndarray:
    return (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0


@dataclass(frozen=True)
class Window:
    """Whole ISO weeks, Monday first, ending with the (possibly partial) week of end_date."""

    start: date
    end: date

    @classmethod
    def ending(cls, end: date, weeks: int) -> Window:
        last_monday = end - timedelta(days=end.weekday())
        return cls(last_monday - timedelta(weeks=weeks - 1), end)

    @property
    def first_day(self) -> int:
        return epoch_day(self.start)

    @property
    def last_day(self) -> int:
        return epoch_day(self.end)

    @property
    def days(self) -> np.ndarray:
        return np.arange(self.first_day, self.last_day + 1, dtype=np.int64)

    @property
    def cap(self) -> int:
        """The latest time anything may carry: end_date 23:59."""
        return self.last_day * DAY + 23 * HOUR + 59 * MINUTE


def english_bank_holidays(first_year: int, last_year: int) -> set[int]:
    years = range(first_year, last_year + 1)
    return {epoch_day(d) for d in holidays.country_holidays("GB", subdiv="ENG", years=years)}


class WorkCalendar:
    """Adds working time to wall-clock times, vectorised.

    Working time runs from `opens` to `closes` on working days. A position on the "working clock"
    is the number of working seconds elapsed since the calendar's first day; adding working time
    is then a plain addition followed by a lookup of the working day that contains the result.
    """

    def __init__(self, first_day: int, last_day: int, opens: int, closes: int,
                 weekdays: set[int], closed_days: set[int]):
        days = np.arange(first_day, last_day + 1, dtype=np.int64)
        is_working = np.isin(weekday_of(days), sorted(weekdays))
        is_working &= ~np.isin(days, sorted(closed_days))
        self.first_day = first_day
        self.working_days = days[is_working]
        # Per calendar day: is it a working day, and how many working days come before it (= the
        # index of the first working day on or after it). Table lookups are far cheaper than a
        # binary search per row.
        self.is_working = is_working
        self.working_days_before = np.cumsum(is_working) - is_working
        self.opens, self.length = opens, closes - opens

    def add(self, times: np.ndarray, working_seconds: np.ndarray) -> np.ndarray:
        """times + working_seconds of working time. Outside working hours the clock starts at the
        next opening, so adding 0 moves an evening time to the next morning."""
        day = times // DAY
        time_of_day = times - day * DAY
        offset = np.clip(day - self.first_day, 0, len(self.is_working) - 1)
        index = self.working_days_before[offset]
        elapsed_today = np.where(self.is_working[offset],
                                 np.clip(time_of_day - self.opens, 0, self.length), 0)
        target = index * self.length + elapsed_today + np.rint(working_seconds).astype(np.int64)
        target_day = target // self.length
        beyond_calendar = target_day >= len(self.working_days)
        target_day = np.minimum(target_day, len(self.working_days) - 1)
        result = (self.working_days[target_day] * DAY + self.opens
                  + target - target_day * self.length)
        # Far beyond the data's end: such times are dropped later as "not happened yet".
        return np.where(beyond_calendar, np.iinfo(np.int64).max // 4, result)


def build_calendars(window: Window) -> tuple[WorkCalendar, WorkCalendar]:
    """(office, contact centre). The calendars run three years past end_date so that long
    resolutions land somewhere; anything past end_date is blanked later anyway."""
    first_day, last_day = window.first_day - 14, window.last_day + 3 * 366
    first_year, last_year = window.start.year - 1, window.end.year + 4
    bank_holidays = english_bank_holidays(first_year, last_year)
    christmas_eves = {epoch_day(date(y, 12, 24)) for y in range(first_year, last_year + 1)}
    centre_closed = {epoch_day(date(y, m, d)) for y in range(first_year, last_year + 1)
                     for m, d in ((12, 25), (12, 26), (1, 1))}
    office = WorkCalendar(first_day, last_day, OFFICE_OPENS, OFFICE_CLOSES, {0, 1, 2, 3, 4},
                          bank_holidays | christmas_eves)
    centre = WorkCalendar(first_day, last_day, CENTRE_OPENS, CENTRE_CLOSES, {0, 1, 2, 3, 4, 5},
                          centre_closed)
    return office, centre


def add_working_time(times, seconds, live, office: WorkCalendar, centre: WorkCalendar):
    """Live channels (phone, chat) are answered on contact-centre hours, the rest on office
    hours."""
    result = np.empty_like(times)
    result[live] = centre.add(times[live], seconds[live])
    result[~live] = office.add(times[~live], seconds[~live])
    return result


def spring_forward_gaps(first_year: int, last_year: int) -> np.ndarray:
    """Epoch days of the last Sunday of March, when Europe/London clocks jump 01:00 -> 02:00."""
    days = []
    for year in range(first_year, last_year + 1):
        march_31 = date(year, 3, 31)
        days.append(epoch_day(march_31 - timedelta(days=(march_31.weekday() + 1) % 7)))
    return np.array(days, dtype=np.int64)


def shift_out_of_dst_gap(times: np.ndarray, gap_days: np.ndarray) -> np.ndarray:
    """01:xx on a spring-forward Sunday does not exist in Europe/London; move it to 02:xx, which is
    what the spec's reading of such a time would be anyway."""
    finite = np.isfinite(times)
    day = np.floor_divide(times, DAY, where=finite, out=np.zeros_like(times))
    time_of_day = times - day * DAY
    in_gap = finite & np.isin(day, gap_days) & (time_of_day >= HOUR) & (time_of_day < 2 * HOUR)
    return np.where(in_gap, times + HOUR, times)


# --------------------------------------------------------------------------------------------
# The story: what happened on each day of the window
# --------------------------------------------------------------------------------------------

@dataclass
class DailyStory:
    """Per-day arrays over the window (index 0 = window.start)."""

    volume: np.ndarray            # relative number of arrivals
    slowness: np.ndarray          # multiplier on handling times of contacts opened that day
    billing_slowness: np.ndarray  # extra multiplier for the Billing team
    complaint_factor: np.ndarray  # multiplier on the chance that a contact is a complaint
    storm: np.ndarray             # outage calls flood in
    billing_migration: np.ndarray
    price_rise: np.ndarray        # April mid-contract price rises
    is_bank_holiday: np.ndarray


def latest_event_monday(window: Window, month: int, day: int, weeks_needed: int) -> int | None:
    """Monday of the latest week containing `day`/`month` such that the event and its aftermath
    (`weeks_needed` weeks) fit inside the window."""
    for year in range(window.end.year, window.start.year - 1, -1):
        anchor = date(year, month, day)
        monday = anchor - timedelta(days=anchor.weekday())
        if monday >= window.start and monday + timedelta(weeks=weeks_needed) <= window.end:
            return epoch_day(monday) - window.first_day
    return None


def week_mask(n_days: int, monday: int | None, week: int) -> np.ndarray:
    mask = np.zeros(n_days, dtype=bool)
    if monday is not None:
        mask[monday + 7 * week: monday + 7 * week + 7] = True
    return mask


def build_daily_story(window: Window, rng: np.random.Generator) -> DailyStory:
    days = window.days
    n = len(days)
    year, month, dom = date_parts(days)
    weekday = weekday_of(days)
    is_bank_holiday = np.isin(days, sorted(english_bank_holidays(window.start.year,
                                                                 window.end.year)))
    new_years_day = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    day_of_year = days - new_years_day
    progress = np.linspace(0.0, 1.0, n)

    storm_monday = latest_event_monday(window, 1, 20, weeks_needed=2)
    migration_monday = latest_event_monday(window, 6, 10, weeks_needed=3)
    storm, storm_after = week_mask(n, storm_monday, 0), week_mask(n, storm_monday, 1)
    migration = [week_mask(n, migration_monday, w) for w in range(3)]
    christmas = ((month == 12) & (dom >= 18)) | ((month == 1) & (dom <= 7))
    christmas_lull = ((month == 12) & (dom >= 24)) | ((month == 1) & (dom == 1))
    new_year_surge = (month == 1) & (dom >= 2) & (dom <= 16)
    price_rise = (month == 4) & (dom <= 25)

    volume = WEEKDAY_VOLUME[weekday] * np.where(is_bank_holiday, BANK_HOLIDAY_VOLUME, 1.0)
    volume *= 1 + 0.10 * np.cos(2 * np.pi * (day_of_year - 20) / 365.25)  # busier in winter
    volume *= 0.94 + 0.12 * progress                                         # a growing company
    if storm_monday is not None:
        storm_profile = np.array([1.7, 2.8, 2.6, 2.1, 1.7, 1.6, 1.4])
        volume[storm_monday:storm_monday + 7] *= storm_profile
        volume[storm_monday + 7:storm_monday + 14] *= 1.25
    volume *= np.where(migration[0], 1.45, 1.0) * np.where(migration[1], 1.2, 1.0)
    volume *= np.where(christmas_lull, 0.6, 1.0) * np.where(new_year_surge, 1.3, 1.0)
    volume *= np.where(price_rise, 1.1, 1.0)

    # Each ISO week runs a little better or worse than the last; service slowly improves.
    week_index = (days - days[0]) // 7
    weekly_noise = np.exp(0.12 * rng.standard_normal(week_index[-1] + 1))[week_index]
    slowness = weekly_noise * (1.08 - 0.16 * progress)
    slowness *= np.where(storm, 2.6, 1.0) * np.where(storm_after, 1.6, 1.0)
    slowness *= np.where(migration[0], 1.35, 1.0) * np.where(migration[1], 1.15, 1.0)
    slowness *= np.where(christmas, 1.7, 1.0)
    billing_slowness = (np.where(migration[0], 1.8, 1.0) * np.where(migration[1], 1.6, 1.0)
                        * np.where(migration[2], 1.3, 1.0))

    complaint_factor = (np.where(storm | storm_after, 1.5, 1.0)
                        * np.where(migration[0] | migration[1], 2.2, 1.0)
                        * np.where(migration[2], 1.4, 1.0)
                        * np.where(christmas, 1.15, 1.0) * np.where(price_rise, 1.25, 1.0))
    return DailyStory(volume, slowness, billing_slowness, complaint_factor, storm,
                      migration[0] | migration[1], price_rise, is_bank_holiday)


# --------------------------------------------------------------------------------------------
# Customers and prices
# --------------------------------------------------------------------------------------------

@dataclass
class Customers:
    ids: pa.Array
    joined_day: np.ndarray
    left_day: np.ndarray          # NO_LEFT_DAY when still a customer (set by price_history)
    product: np.ndarray
    segment: np.ndarray
    region: np.ndarray
    sales_channel: np.ndarray
    unhappiness: np.ndarray       # latent: raises contact volume, complaints and churn
    contact_propensity: np.ndarray
    walk_rate: np.ndarray         # yearly loyalty uplift on top of the new-customer price
    personal_offset: np.ndarray   # a customer's deal differs a little from the list price
    negotiates: np.ndarray        # haggles back down (from negotiated_from, to negotiated_level)
    negotiated_from: np.ndarray   # period index
    negotiated_level: np.ndarray

    @property
    def family(self) -> np.ndarray:
        return PRODUCT_FAMILY[self.product]


NO_LEFT_DAY = np.iinfo(np.int64).max // 4


def code_strings(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """prefix + zero-padded number, built in Arrow (a Python loop would dominate at 10M rows)."""
    padded = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, padding="0")
    return pc.binary_join_element_wise(prefix, padded, "")


def sample_codes(rng: np.random.Generator, mix, size: int) -> np.ndarray:
    weights = np.asarray(mix, dtype=float)
    return rng.choice(len(weights), size=size, p=weights / weights.sum()).astype(np.int16)


def new_customer_price_series(rng: np.random.Generator, first_month: int, n_months: int):
    """Monthly new-customer price per product (rows) from `first_month` (months since 1970-01).
    A log random walk; energy variable moves only each quarter, like the price cap."""
    series = np.empty((len(PRODUCTS), n_months))
    calendar_month = (first_month + np.arange(n_months)) % 12
    for i, product in enumerate(PRODUCTS):
        steps = product.drift * product.reprice_every + product.volatility * rng.standard_normal(
            n_months)
        steps[calendar_month % product.reprice_every != 0] = 0.0
        steps[0] = 0.0
        log_level = np.clip(np.cumsum(steps), np.log(0.6), np.log(1.8))
        series[i] = product.start_price * np.exp(log_level)
    return series


def completed_years(joined_day: np.ndarray, period_day: np.ndarray) -> np.ndarray:
    """(customers, periods) whole years of tenure, like an age: the anniversary counts on the day.
    Date parts are taken once per customer and once per period, then broadcast."""
    jy, jm, jd = (part[:, None] for part in date_parts(joined_day))
    py, pm, pd_ = (part[None, :] for part in date_parts(period_day))
    before_anniversary = (pm < jm) | ((pm == jm) & (pd_ < jd))
    return py - jy - before_anniversary


def draw_customers(rng: np.random.Generator, n: int, window: Window) -> Customers:
    """Who the customers are and how they will be priced; when they leave is settled later by
    price_history, because it depends on what they pay."""
    # Ten years of joiners, more of them recently (the company is growing).
    joined_day = window.last_day - np.floor(3652 * rng.random(n) ** 1.4).astype(np.int64)
    unhappiness = rng.gamma(2.0, 0.5, n)
    return Customers(
        ids=code_strings("C", np.arange(1, n + 1), max(6, len(str(n)))),
        joined_day=joined_day,
        left_day=np.full(n, NO_LEFT_DAY, dtype=np.int64),
        product=sample_codes(rng, [p.share for p in PRODUCTS], n),
        segment=sample_codes(rng, SEGMENT_MIX, n),
        region=sample_codes(rng, REGION_MIX, n),
        sales_channel=sample_codes(rng, SALES_CHANNEL_MIX, n),
        unhappiness=unhappiness,
        contact_propensity=rng.gamma(1.2, 1 / 1.2, n) * (0.6 + 0.4 * unhappiness),
        walk_rate=np.clip(rng.normal(0.045, 0.015, n), 0.0, 0.10),
        personal_offset=rng.normal(0.0, 0.02, n),
        # A few long-standing customers threaten to leave and negotiate back down.
        negotiates=rng.random(n) < 0.12,
        negotiated_from=rng.integers(0, 1 << 30, n),   # reduced modulo the number of periods
        negotiated_level=1 + rng.uniform(0.0, 0.08, n),
    )


@dataclass
class PriceBook:
    """The monthly billing periods of the window and the new-customer price of each product."""

    period_day: np.ndarray        # first of each month inside the window (epoch days)
    next_period_day: np.ndarray
    first_series_month: int       # months since 1970-01 of series[:, 0]
    series: np.ndarray            # (products, months): new-customer price over eleven years

    @property
    def new_customer_price(self) -> np.ndarray:
        """(products, periods)"""
        period_month = self.period_day.astype("datetime64[D]").astype("datetime64[M]")
        return self.series[:, period_month.astype(np.int64) - self.first_series_month]


def build_price_book(rng: np.random.Generator, window: Window) -> PriceBook:
    first_period = np.datetime64(window.start, "M") + (window.start.day > 1)
    periods = np.arange(first_period, np.datetime64(window.end, "M") + 1)
    first_series_month = int(np.datetime64(window.end, "M").astype(np.int64)) - 11 * 12
    return PriceBook(periods.astype("datetime64[D]").astype(np.int64),
                     (periods + 1).astype("datetime64[D]").astype(np.int64),
                     first_series_month,
                     new_customer_price_series(rng, first_series_month, 11 * 12 + 1))


def prices_paid(customers: Customers, rows: slice, book: PriceBook) -> np.ndarray:
    """(customers in rows, periods) price walk: at each anniversary a customer is repriced from
    the then new-customer price plus a loyalty "penalty" of a few percent per completed year."""
    joined_day = customers.joined_day[rows]
    tenure = np.maximum(completed_years(joined_day, book.period_day), 0)
    join_year, join_month, _ = date_parts(joined_day)
    anniversary_month = (join_year[:, None] + tenure - 1970) * 12 + join_month[:, None] - 1
    series_index = np.clip(anniversary_month - book.first_series_month, 0,
                           book.series.shape[1] - 1)
    walk = (1 + customers.walk_rate[rows, None]) ** tenure
    n_periods = len(book.period_day)
    renegotiated = ((customers.negotiates[rows] & (tenure[:, -1] >= 2))[:, None]
                    & (np.arange(n_periods)[None, :]
                       >= (customers.negotiated_from[rows] % n_periods)[:, None]))
    walk = np.where(renegotiated, np.minimum(walk, customers.negotiated_level[rows, None]), walk)
    price = (book.series[customers.product[rows, None], series_index] * walk
             * (1 + customers.personal_offset[rows, None]))
    return np.maximum(np.round(price, 2), 0.0)


def simulate_churn(rng, customers: Customers, rows: slice, book: PriceBook,
                   price: np.ndarray, last_day: int) -> np.ndarray:
    """left_day for the customers in rows: a monthly hazard while active, higher for customers
    paying far above the new-customer price and for unhappy (complaining) customers."""
    joined_day = customers.joined_day[rows]
    gap = price / book.new_customer_price[customers.product[rows]] - 1
    hazard = (0.0064 * (1 + 3.0 * np.clip(gap, 0, 1))
              * (0.45 + 0.55 * customers.unhappiness[rows, None]))
    at_risk = joined_day[:, None] < book.period_day[None, :]
    churns = at_risk & (rng.random(at_risk.shape) < hazard)
    has_left = churns.any(axis=1)
    churn_period = np.argmax(churns, axis=1)
    period_start = book.period_day[churn_period]
    month_span = np.minimum(book.next_period_day, last_day + 1)[churn_period] - period_start
    left_day = period_start + np.floor(rng.random(len(joined_day)) * month_span).astype(np.int64)
    return np.where(has_left, np.maximum(left_day, joined_day + 1), NO_LEFT_DAY)


def price_history(seed: int, customers: Customers, book: PriceBook,
                  window: Window) -> Iterator[pa.Table]:
    """The prices table, one block of customers at a time (bounded memory at 1M+ customers).
    As a side effect it settles customers.left_day, which the contacts need afterwards."""
    n = len(customers.joined_day)
    for block, first in enumerate(range(0, n, CUSTOMER_BLOCK)):
        rows = slice(first, min(first + CUSTOMER_BLOCK, n))
        rng = np.random.default_rng([seed, 1, block])
        price = prices_paid(customers, rows, book)
        left_day = simulate_churn(rng, customers, rows, book, price, window.last_day)
        customers.left_day[rows] = left_day
        joined_day = customers.joined_day[rows]
        active = ((joined_day[:, None] <= book.period_day[None, :])
                  & (left_day[:, None] >= book.period_day[None, :]))
        row_customer, row_period = np.nonzero(active)  # customer-major, periods ascending
        product = customers.product[rows][row_customer]
        new_customer_price = np.round(book.new_customer_price[product, row_period], 2)
        yield pa.table({
            "customer_id": customer_column(row_customer + first, customers.ids),
            "period": pa.array(book.period_day[row_period].astype(np.int32), type=pa.date32()),
            "price_paid": money(price[row_customer, row_period]),
            "product": dictionary_column(product, [p.name for p in PRODUCTS]),
            "new_customer_price": money(new_customer_price,
                                        missing=rng.random(len(row_customer)) < NCP_BLANK_SHARE),
            "channel": dictionary_column(customers.sales_channel[rows][row_customer],
                                         SALES_CHANNELS),
        })


def customers_table(customers: Customers) -> pa.Table:
    has_left = customers.left_day != NO_LEFT_DAY
    return pa.table({
        "customer_id": customers.ids,
        "joined_at": pa.array(customers.joined_day.astype(np.int32), type=pa.date32()),
        "left_at": pa.array(np.where(has_left, customers.left_day, 0).astype(np.int32),
                            type=pa.date32(), mask=~has_left),
        "segment": dictionary_column(customers.segment, SEGMENTS),
        "product": dictionary_column(customers.product, [p.name for p in PRODUCTS]),
        "region": dictionary_column(customers.region, REGIONS),
    })


# --------------------------------------------------------------------------------------------
# Contacts: who, what, when
# --------------------------------------------------------------------------------------------

def arrivals_per_hour(rng, n: int, window: Window, story: DailyStory) -> np.ndarray:
    """Number of contacts opened in each hour of the window: days weighted by the story, hours by
    the intraday profile (flatter at weekends and on bank holidays). One multinomial draw."""
    quiet_day = (weekday_of(window.days) >= 5) | story.is_bank_holiday
    weekday_share = np.asarray(WEEKDAY_HOURLY) / np.sum(WEEKDAY_HOURLY)
    weekend_share = np.asarray(WEEKEND_HOURLY) / np.sum(WEEKEND_HOURLY)
    hour_share = np.where(quiet_day[:, None], weekend_share[None, :], weekday_share[None, :])
    hour_weight = (story.volume[:, None] * hour_share).ravel()     # (day, hour) in time order
    return rng.multinomial(n, hour_weight / hour_weight.sum())


def arrival_times(rng, window: Window, first_hour: int, per_hour: np.ndarray) -> np.ndarray:
    """Opening times (local seconds) for consecutive hours of the window, in hour order."""
    hour_of_window = np.repeat(np.arange(first_hour, first_hour + len(per_hour)), per_hour)
    opened = window.first_day * DAY + hour_of_window * HOUR
    opened += rng.integers(0, HOUR, len(opened))
    return np.minimum(opened, window.cap)


def link_customers(rng, opened: np.ndarray, customers: Customers) -> np.ndarray:
    """Index of the customer behind each contact (-1 = not linked). Chattier customers are
    drawn more often; a customer can only contact us while active (plus 30 days for final-bill
    questions). Rejection sampling: a few vectorised rounds, leftovers stay unlinked."""
    n = len(opened)
    linked = np.full(n, -1, dtype=np.int64)
    # An urn holding each customer about 10 x propensity times: drawing from it is a weighted
    # draw at the cost of one array lookup (a binary search per row is slow at 10M rows).
    urn = np.repeat(np.arange(len(customers.joined_day)),
                    np.rint(10 * customers.contact_propensity).astype(np.int64))
    if len(urn) == 0:
        return linked
    opened_day = opened // DAY
    pending = np.flatnonzero(rng.random(n) < CUSTOMER_LINK_SHARE)
    for _ in range(8):
        if len(pending) == 0:
            break
        draw = urn[rng.integers(0, len(urn), len(pending))]
        day = opened_day[pending]
        active = (customers.joined_day[draw] <= day) & (day <= customers.left_day[draw] + 30)
        linked[pending[active]] = draw[active]
        pending = pending[~active]
    return linked


def per_contact(values: np.ndarray, customer: np.ndarray, fallback) -> np.ndarray:
    """A customer attribute for each contact; `fallback` (scalar or per-contact) where unlinked."""
    if len(values) == 0:
        return np.broadcast_to(fallback, customer.shape).copy()
    return np.where(customer >= 0, values[np.maximum(customer, 0)], fallback)


def sample_complaints(rng, customer: np.ndarray, customers: Customers, day_index: np.ndarray,
                      story: DailyStory) -> np.ndarray:
    """About 10% complaints; more from unhappy customers and in bad weeks."""
    unhappiness = per_contact(customers.unhappiness, customer, 1.0)
    probability = (BASE_COMPLAINT_RATE * (0.55 + 0.45 * unhappiness)
                   * story.complaint_factor[day_index])
    return rng.random(len(customer)) < np.minimum(probability, 0.9)


def sample_categories(rng, is_complaint: np.ndarray, family: np.ndarray) -> np.ndarray:
    """Topic by kind and by the customer's product family (no smart-meter faults on
    broadband-only customers)."""
    category = np.empty(len(is_complaint), dtype=np.int16)
    for complaint in (True, False):
        for fam, family_name in enumerate(FAMILIES):
            rows = np.flatnonzero((is_complaint == complaint) & (family == fam))
            weights = np.array([c.weight if c.complaint == complaint
                                and c.family in ("any", family_name) else 0.0
                                for c in CATEGORIES])
            category[rows] = rng.choice(len(CATEGORIES), size=len(rows), p=weights / weights.sum())
    return category


def override_topics(rng, category, mask, share, names, weights):
    """In a bad week, `share` of the rows in `mask` are about the event instead."""
    rows = np.flatnonzero(mask & (rng.random(len(category)) < share))
    codes = np.array([category_code(name) for name in names])
    share_of_each = np.asarray(weights) / sum(weights)
    category[rows] = codes[rng.choice(len(codes), size=len(rows), p=share_of_each)]
    return rows


def apply_story_topics(rng, category, is_complaint, family, day_index, story) -> np.ndarray:
    """Bends the topic mix in bad weeks; returns the rows that became storm calls."""
    storm = story.storm[day_index] & (family == BROADBAND)
    storm_rows = np.concatenate([
        override_topics(rng, category, storm & is_complaint, 0.75,
                        ("broadband outage", "engineer missed appointment", "repair not fixed"),
                        (0.6, 0.25, 0.15)),
        override_topics(rng, category, storm & ~is_complaint, 0.6, ("fault report",), (1,)),
    ])
    migration = story.billing_migration[day_index]
    override_topics(rng, category, migration & is_complaint, 0.6,
                    ("billing error", "direct debit problem"), (0.6, 0.4))
    override_topics(rng, category, migration & ~is_complaint, 0.35,
                    ("bill query", "payment arrangement"), (0.7, 0.3))
    price_rise = story.price_rise[day_index]
    override_topics(rng, category, price_rise & is_complaint, 0.3, ("price increase",), (1,))
    override_topics(rng, category, price_rise & ~is_complaint, 0.12,
                    ("contract renewal", "product question"), (0.6, 0.4))
    return storm_rows


def sample_channels(rng, is_complaint: np.ndarray, storm_rows: np.ndarray) -> np.ndarray:
    channel = np.where(is_complaint,
                       sample_codes(rng, COMPLAINT_CHANNEL_MIX, len(is_complaint)),
                       sample_codes(rng, ENQUIRY_CHANNEL_MIX, len(is_complaint)))
    # Customers without broadband pick up the phone.
    to_phone = storm_rows[rng.random(len(storm_rows)) < 0.6]
    channel[to_phone] = PHONE
    return channel


def assign_partners(rng, category: np.ndarray) -> np.ndarray:
    """Field jobs (repairs, meter and line installs) are sometimes sent to a partner; the share is
    set so that ~8% of all contacts end up with one."""
    eligible = CATEGORY_FIELD_WORK[category]
    eligible_share = max(eligible.mean(), 1e-9) if len(category) else 1.0
    chance = min(0.95, PARTNER_SHARE / eligible_share)
    partnered = eligible & (rng.random(len(category)) < chance)
    return np.where(partnered, np.where(rng.random(len(category)) < FIXRIGHT_SHARE, FIXRIGHT,
                                        SWIFT), IN_HOUSE).astype(np.int8)


def assign_teams(rng, category, is_complaint, partner) -> np.ndarray:
    """Most complaints go to the Complaints Resolution team; partner work stays with the team that
    manages the partner."""
    team = CATEGORY_TEAM[category].copy()
    to_complaints_team = is_complaint & (partner == IN_HOUSE) & (rng.random(len(team)) < 0.6)
    team[to_complaints_team] = COMPLAINTS_TEAM
    return team


def assign_agents(rng, team: np.ndarray, agent_weights: np.ndarray) -> np.ndarray:
    """An agent from the contact's team; some agents take more work than others."""
    agent = np.empty(len(team), dtype=np.int16)
    first = 0
    for t, names in enumerate(AGENTS_BY_TEAM):
        rows = np.flatnonzero(team == t)
        weights = agent_weights[first:first + len(names)]
        agent[rows] = first + rng.choice(len(names), size=len(rows), p=weights / weights.sum())
        first += len(names)
    return agent


# --------------------------------------------------------------------------------------------
# Contacts: handling times
# --------------------------------------------------------------------------------------------

def lognormal(rng, median, sigma, n: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


@dataclass
class Handling:
    acknowledged: np.ndarray      # float seconds, NaN = not recorded, inf = not yet
    first_response: np.ndarray
    resolved: np.ndarray
    follow_up: np.ndarray
    reopened: np.ndarray
    csat: np.ndarray              # 0 = no score


def simulate_handling(rng, opened, channel, is_complaint, priority, partner, agent_speed,
                      slowness, office: WorkCalendar, centre: WorkCalendar) -> Handling:
    n = len(opened)
    live = LIVE_CHANNELS[channel]
    partner_speed = np.where(partner == FIXRIGHT, PARTNER_SPEED[FIXRIGHT],
                             np.where(partner == SWIFT, PARTNER_SPEED[SWIFT], 1.0))
    speed = PRIORITY_SPEED[priority] * partner_speed * agent_speed * slowness

    # Acknowledgement is ours even for partner work: minutes on live channels, under an hour
    # for email and web, a day or two for post (it has to be scanned first).
    ack_median = np.array([1 * MINUTE, 14 * MINUTE, 1.5 * MINUTE, 18 * MINUTE, 1.2 * WORKING_DAY])
    ack_sigma = np.array([0.8, 0.9, 0.8, 0.9, 0.5])
    ack_work = lognormal(rng, ack_median[channel], ack_sigma[channel], n)
    ack_work *= np.sqrt(PRIORITY_SPEED[priority]) * slowness
    acknowledged = add_working_time(opened, ack_work, live, office, centre)

    # First substantive reply: live channels mostly the same day, written ones in 1-4 working
    # days with a tail. Most calls are answered there and then; the rest get a call back.
    fr_median = np.array([2.5 * HOUR, 1.6 * WORKING_DAY, 4 * MINUTE, 1.4 * WORKING_DAY,
                          3.0 * WORKING_DAY])
    fr_sigma = np.array([0.9, 0.8, 1.0, 0.8, 0.6])
    first_response = add_working_time(opened, lognormal(rng, fr_median[channel], fr_sigma[channel],
                                                        n) * speed, live, office, centre)
    answered_live = (channel == PHONE) & (rng.random(n) < 0.7) & (partner == IN_HOUSE)
    call_length = rng.uniform(2 * MINUTE, 12 * MINUTE, n)
    first_response = np.where(answered_live, acknowledged + call_length.astype(np.int64),
                              first_response)

    # Resolution, counted from the first reply on office hours.
    first_time_fix_rate = np.array([0.65, 0.35, 0.6, 0.35, 0.25])  # by channel
    first_time_fix = ~is_complaint & (rng.random(n) < first_time_fix_rate[channel])
    enquiry_work = lognormal(rng, 1.2 * WORKING_DAY, 1.0, n) * speed ** 0.7
    complaint_work = lognormal(rng, 4.0 * WORKING_DAY, 0.9, n) * speed
    long_tail = is_complaint & (rng.random(n) < 0.045)
    complaint_work = np.where(long_tail, rng.uniform(20, 70, n) * WORKING_DAY * partner_speed,
                              complaint_work)
    reopened = sample_reopens(rng, is_complaint)
    reopen_work = reopened * lognormal(rng, np.where(is_complaint, 3.0, 1.0) * WORKING_DAY, 0.7, n)
    resolution_work = np.where(is_complaint, complaint_work, enquiry_work) + reopen_work
    resolved = office.add(first_response, resolution_work)
    resolved = np.where(first_time_fix & (reopened == 0),
                        first_response + rng.integers(0, 10 * MINUTE, n), resolved)

    # "Was the repair OK?": ~60% of resolved complaints get a follow-up within days (FixRight
    # jobs slower), partner jobs often, other enquiries rarely.
    follow_up_chance = np.where(is_complaint, 0.6, np.where(partner != IN_HOUSE, 0.4, 0.02))
    gets_follow_up = rng.random(n) < follow_up_chance
    follow_up_work = np.minimum(lognormal(rng, 0.8 * WORKING_DAY, 0.9, n), 5 * WORKING_DAY)
    follow_up_work *= np.where(partner == FIXRIGHT, 2.2, 1.0)
    follow_up = office.add(resolved, follow_up_work)

    handling = Handling(acknowledged.astype(float), first_response.astype(float),
                        resolved.astype(float), follow_up.astype(float), reopened,
                        np.zeros(n, dtype=np.int8))
    handling.follow_up[~gets_follow_up] = np.nan
    add_data_gaps(rng, handling, channel, is_complaint, office)
    handling.csat = sample_csat(rng, opened, handling, is_complaint, partner)
    return handling


def sample_reopens(rng, is_complaint: np.ndarray) -> np.ndarray:
    """~12% of complaints are reopened 1-3 times; a few enquiries once."""
    n = len(is_complaint)
    reopened_once = rng.random(n) < np.where(is_complaint, 0.12, 0.02)
    extra = np.where(is_complaint, sample_codes(rng, (0.72, 0.20, 0.08), n), 0)
    return np.where(reopened_once, 1 + extra, 0).astype(np.int8)


def add_data_gaps(rng, handling: Handling, channel, is_complaint, office: WorkCalendar) -> None:
    """What real exports look like: some acknowledgements are not logged (the reply
    acknowledges), a few enquiries are closed without a reply (duplicates, spam), and a few
    contacts get stuck and are never resolved."""
    n = len(channel)
    handling.acknowledged[rng.random(n) < 0.03] = np.nan
    written = (channel == EMAIL) | (channel == WEB)
    closed_unanswered = ~is_complaint & written & (rng.random(n) < 0.004)
    handling.first_response[closed_unanswered] = np.nan
    acknowledged = np.nan_to_num(handling.acknowledged, nan=0).astype(np.int64)
    closing_time = office.add(acknowledged, lognormal(rng, 2 * HOUR, 0.8, n)).astype(float)
    has_ack = ~np.isnan(handling.acknowledged)
    handling.resolved[closed_unanswered & has_ack] = closing_time[closed_unanswered & has_ack]
    handling.follow_up[closed_unanswered] = np.nan
    stuck = rng.random(n) < np.where(is_complaint, 0.003, 0.0005)
    handling.resolved[stuck] = np.inf
    handling.follow_up[stuck] = np.nan


def sample_csat(rng, opened, handling: Handling, is_complaint, partner) -> np.ndarray:
    """~40% of complaints answer the survey; slow, reopened and FixRight cases score lower."""
    n = len(opened)
    resolution_days = np.nan_to_num((handling.resolved - opened) / DAY, nan=0, posinf=0)
    score = (4.1 - 0.05 * np.minimum(resolution_days, 40) - 0.7 * handling.reopened
             - 0.4 * (partner == FIXRIGHT) + rng.standard_normal(n))
    answers = is_complaint & np.isfinite(handling.resolved) & (rng.random(n) < 0.41)
    return np.where(answers, np.clip(np.rint(score), 1, 5), 0).astype(np.int8)


def not_before(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """later, moved up to `earlier` where both are known (NaN = unknown stays unknown)."""
    return np.where(np.isnan(later) | np.isnan(earlier), later, np.maximum(later, earlier))


def finalise_timestamps(rng, opened: np.ndarray, handling: Handling, window: Window) -> None:
    """Makes every contact's timeline consistent, removes times that do not exist in London or
    lie after end_date 23:59, then adds a pinch of deliberate bad data."""
    gap_days = spring_forward_gaps(window.start.year - 1, window.end.year + 4)
    opened_f = shift_out_of_dst_gap(opened.astype(float), gap_days)
    h = handling
    h.acknowledged, h.first_response, h.resolved, h.follow_up = (
        shift_out_of_dst_gap(t, gap_days)
        for t in (h.acknowledged, h.first_response, h.resolved, h.follow_up))
    h.first_response = not_before(h.first_response, opened_f)
    h.acknowledged = not_before(h.acknowledged, opened_f)
    # A reply also acknowledges, so a logged acknowledgement is never later than it.
    h.acknowledged = np.where(np.isnan(h.first_response), h.acknowledged,
                              np.fmin(h.acknowledged, h.first_response))
    h.resolved = not_before(not_before(not_before(h.resolved, opened_f), h.first_response),
                            h.acknowledged)
    h.follow_up = not_before(h.follow_up, h.resolved)

    # What has not happened by end_date 23:59 is blank: that is where backlog and pending come
    # from. The chain above is ordered, so blanking never leaves a later step behind.
    for name in ("acknowledged", "first_response", "resolved", "follow_up"):
        times = getattr(h, name)
        times[times > window.cap] = np.nan
    h.csat[np.isnan(h.resolved)] = 0
    opened[:] = opened_f.astype(np.int64)

    # Real exports contain a few replies stamped minutes before the contact was logged (clock
    # skew between systems); the dashboard must report them as invalid durations.
    time_of_day = opened % DAY
    eligible = np.flatnonzero(~np.isnan(h.first_response) & (time_of_day > 7 * HOUR)
                              & (time_of_day < 22 * HOUR))
    n_noise = min(len(eligible), int(round(INVALID_DURATION_SHARE * len(opened))))
    noisy = rng.choice(eligible, size=n_noise, replace=False) if n_noise else eligible[:0]
    h.first_response[noisy] = opened[noisy] - rng.integers(1 * MINUTE, 15 * MINUTE, n_noise)


def latest_time(opened: np.ndarray, handling: Handling) -> np.ndarray:
    stacked = np.stack([opened.astype(float), handling.acknowledged, handling.first_response,
                        handling.resolved, handling.follow_up])
    return np.nanmax(stacked, axis=0)


@dataclass
class ContactWorld:
    """What every chunk of contacts shares."""

    window: Window
    story: DailyStory
    office: WorkCalendar
    centre: WorkCalendar
    customers: Customers
    agent_weights: np.ndarray     # some agents take more of their team's work
    agent_speed: np.ndarray       # and some are quicker than others
    ticket_width: int


def contact_chunks(seed: int, n: int, window: Window, customers: Customers) -> Iterator[pa.Table]:
    """The contacts as Arrow tables of about CHUNK_ROWS rows each, in opening-time order.

    Each chunk covers a run of consecutive hours of the window and has its own random stream, so
    memory stays bounded at 10M+ rows and the output depends only on the arguments."""
    rng = np.random.default_rng([seed, 2])
    story = build_daily_story(window, rng)
    office, centre = build_calendars(window)
    world = ContactWorld(window, story, office, centre, customers,
                         agent_weights=rng.gamma(4.0, 0.25, len(AGENTS)),
                         agent_speed=np.exp(0.25 * rng.standard_normal(len(AGENTS))),
                         ticket_width=max(7, len(str(n))))
    per_hour = arrivals_per_hour(rng, n, window, story)
    chunk_of_hour = (np.cumsum(per_hour) - per_hour) // CHUNK_ROWS
    first_ticket = 1
    for chunk in np.unique(chunk_of_hour[per_hour > 0]):
        hours = np.flatnonzero(chunk_of_hour == chunk)
        table = generate_contact_chunk(np.random.default_rng([seed, 2, int(chunk)]), world,
                                       int(hours[0]), per_hour[hours], first_ticket)
        first_ticket += table.num_rows
        yield table


def generate_contact_chunk(rng, world: ContactWorld, first_hour: int, per_hour: np.ndarray,
                           first_ticket: int) -> pa.Table:
    window, story, customers = world.window, world.story, world.customers
    opened = arrival_times(rng, window, first_hour, per_hour)
    chunk_end = min(window.cap, window.first_day * DAY + (first_hour + len(per_hour)) * HOUR - 1)
    n = len(opened)
    day_index = opened // DAY - window.first_day
    customer = link_customers(rng, opened, customers)
    family = per_contact(customers.family, customer, sample_codes(rng, (0.55, 0.45), n))
    is_complaint = sample_complaints(rng, customer, customers, day_index, story)
    category = sample_categories(rng, is_complaint, family)
    storm_rows = apply_story_topics(rng, category, is_complaint, family, day_index, story)
    channel = sample_channels(rng, is_complaint, storm_rows)
    priority = np.where(is_complaint, sample_codes(rng, COMPLAINT_PRIORITY_MIX, n),
                        sample_codes(rng, ENQUIRY_PRIORITY_MIX, n))
    partner = assign_partners(rng, category)
    team = assign_teams(rng, category, is_complaint, partner)
    agent = assign_agents(rng, team, world.agent_weights)

    # Post is logged when it is opened: during office hours on working days. (Kept inside the
    # chunk's hours so that ticket numbers follow opening times across chunks too.)
    is_letter = channel == LETTER
    logged = world.office.add(opened - opened % DAY, rng.uniform(0, 6.5 * HOUR, n))
    opened = np.where(is_letter & (logged <= chunk_end), logged, opened)
    day_index = opened // DAY - window.first_day

    slowness = story.slowness[day_index] * np.where(team == BILLING,
                                                    story.billing_slowness[day_index], 1.0)
    handling = simulate_handling(rng, opened, channel, is_complaint, priority, partner,
                                 world.agent_speed[agent], slowness, world.office, world.centre)
    finalise_timestamps(rng, opened, handling, window)

    # Partner jobs are worked by the partner's staff; unanswered contacts are still unassigned.
    agent_missing = (partner != IN_HOUSE) | np.isnan(handling.first_response)
    updated = latest_time(opened, handling)
    updated[rng.random(n) < UPDATED_AT_BLANK_SHARE] = np.nan
    # A pinch of incomplete coding, as in any real helpdesk.
    category_missing = rng.random(n) < 0.01
    priority_missing = rng.random(n) < 0.02

    order = np.argsort(opened, kind="stable")  # ticket numbers follow opening times
    return pa.table({
        "ticket_id": code_strings("BW-", np.arange(first_ticket, first_ticket + n),
                                  world.ticket_width),
        "opened_at": timestamp_column(opened.astype(float)[order]),
        "customer_id": customer_column(customer[order], customers.ids),
        "kind": dictionary_column(is_complaint[order].astype(np.int8), ("enquiry", "complaint")),
        "channel": dictionary_column(channel[order], CHANNELS),
        "priority": dictionary_column(priority[order], PRIORITIES, priority_missing[order]),
        "team": dictionary_column(team[order], TEAMS),
        "agent": dictionary_column(agent[order], AGENTS, agent_missing[order]),
        "partner": dictionary_column(np.maximum(partner, 0)[order], PARTNERS,
                                     (partner == IN_HOUSE)[order]),
        "category": dictionary_column(category[order], CATEGORY_NAMES, category_missing[order]),
        "acknowledged_at": timestamp_column(handling.acknowledged[order]),
        "first_response_at": timestamp_column(handling.first_response[order]),
        "resolved_at": timestamp_column(handling.resolved[order]),
        "follow_up_at": timestamp_column(handling.follow_up[order]),
        "reopened_count": pa.array(handling.reopened[order]),
        "csat": pa.array(handling.csat[order], mask=handling.csat[order] == 0),
        "updated_at": timestamp_column(updated[order]),
    })


# --------------------------------------------------------------------------------------------
# Arrow columns and CSV output
# --------------------------------------------------------------------------------------------

def dictionary_column(codes: np.ndarray, labels, missing: np.ndarray | None = None) -> pa.Array:
    indices = pa.array(np.asarray(codes, dtype=np.int32), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(labels), type=pa.string()))


def customer_column(customer: np.ndarray, ids: pa.Array) -> pa.Array:
    if len(ids) == 0:
        return pa.nulls(len(customer), type=pa.string())
    indices = pa.array(np.maximum(customer, 0).astype(np.int32), mask=customer < 0)
    return pa.DictionaryArray.from_arrays(indices, ids)


def timestamp_column(seconds: np.ndarray) -> pa.Array:
    missing = ~np.isfinite(seconds)
    values = np.where(missing, 0, seconds).astype(np.int64)
    return pa.array(values, type=pa.timestamp("s"), mask=missing)


def money(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Two-decimal prices (a decimal type prints 30.00, not 30.0)."""
    return pc.cast(pa.array(np.round(values, 2), mask=missing), pa.decimal128(12, 2))


def write_csv(path: Path, columns: tuple[str, ...], tables: Iterable[pa.Table]) -> Path:
    """Writes the tables one after another under one header. Header and values are unquoted
    (Arrow would quote every string): no value contains a comma, quote or newline, which
    check_plain_text guarantees."""
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none",
                                  batch_size=256 * 1024)
    with open(path, "wb") as out:
        out.write((",".join(columns) + "\n").encode())
        for table in tables:
            if tuple(table.column_names) != columns:
                raise ValueError(f"{path.name}: columns {table.column_names} != {columns}")
            for column in table.columns:
                check_plain_text(column)
            pa_csv.write_csv(table, out, options)
    return path


def check_plain_text(column: pa.ChunkedArray) -> None:
    if pa.types.is_dictionary(column.type):
        values = pa.chunked_array([chunk.dictionary for chunk in column.chunks])
    elif pa.types.is_string(column.type):
        values = column
    else:
        return
    if pc.any(pc.match_substring_regex(values, r'[,"\r\n]')).as_py():
        raise ValueError("a demo value needs CSV quoting; keep commas and quotes out of it")


def write_demo_csvs(out_dir: str | Path, contacts: int = 150_000, customers: int = 20_000,
                    seed: int = 20261123, end_date: date = date(2026, 11, 20),
                    weeks: int = 104) -> dict[str, Path]:
    """Writes contacts.csv, customers.csv, prices.csv (canonical column names of spec section 1)
    into out_dir and returns {"contacts": path, "customers": path, "prices": path}."""
    if contacts < 0 or customers < 0:
        raise ValueError("contacts and customers must not be negative")
    if weeks < 5:
        raise ValueError("weeks must be at least 5 (the prices need a first-of-month inside)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    window = Window.ending(end_date, weeks)
    # Separate random streams, so that e.g. more customers do not reshuffle the contact mix.
    rng = np.random.default_rng([seed, 1])
    customer_list = draw_customers(rng, customers, window)
    book = build_price_book(rng, window)
    # Prices first: writing them settles who left when, which customers.csv and the contacts
    # (only active customers get in touch) depend on.
    prices_path = write_csv(out / "prices.csv", PRICE_COLUMNS,
                            price_history(seed, customer_list, book, window))
    return {
        "contacts": write_csv(out / "contacts.csv", CONTACT_COLUMNS,
                              contact_chunks(seed, contacts, window, customer_list)),
        "customers": write_csv(out / "customers.csv", CUSTOMER_COLUMNS,
                               [customers_table(customer_list)]),
        "prices": prices_path,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo.generate",
        description="Write the Brightwater Home Services demo CSVs (contacts, customers, prices).")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--contacts", type=int, default=150_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 11, 20))
    parser.add_argument("--weeks", type=int, default=104)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write_demo_csvs(args.out_dir, args.contacts, args.customers, args.seed,
                            args.end_date, args.weeks)
    elapsed = time.perf_counter() - started
    for name, path in paths.items():
        print(f"{name:9} {path}  {path.stat().st_size / 1e6:,.1f} MB")
    print(f"generated in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
