"""Reading, validating and saving the charter file (spec section 3).

The file is the source of truth; tomlkit keeps managers' comments and layout when the app edits it
(components/charter_editor.py; but for a comment beside a value the edit changes, which spoke of the
old value); reading it needs only the standard library's tomllib.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import re
import threading
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.db import PROJECT_ROOT

DEFAULT_CHARTER = PROJECT_ROOT / "data" / "charter.toml"

MEASURES = ("acknowledge", "first_response", "resolution", "follow_up")
# The contact columns that can stop each measure's clock (a reply also acknowledges, charter/engine.py).
MEASURE_STOPS = {"acknowledge": ("acknowledged_at", "first_response_at"), "first_response": ("first_response_at",),
                 "resolution": ("resolved_at",), "follow_up": ("follow_up_at",)}
UNITS = ("hours", "days", "business_hours", "business_days")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Contact columns a standard may be scoped on (text columns of the contacts table).
SCOPE_COLUMNS = ("kind", "channel", "priority", "team", "agent", "partner", "category")
UNIT_LABELS = {
    "hours": "hours",
    "days": "days",
    "business_hours": "working hours",
    "business_days": "working days",
}


def _fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()[:16]


class CharterError(ValueError):
    """The charter file says something the app cannot follow; the message says what to fix.
    `setting` names the one setting it is about, where there is one: ("schedule", "closes") or
    ("standard", 0, "target") (the first [[standard]]), so that the editor says it beside that field."""

    def __init__(self, message: str, setting: tuple = ()):
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class Schedule:
    timezone: str = "Europe/London"
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0, as in date.weekday()
    opens: time = time(9, 0)
    closes: time = time(17, 30)
    holidays: str = "GB"
    holiday_subdivision: str = "ENG"
    closed_dates: tuple[date, ...] = ()

    def fingerprint(self) -> str:
        """Changes whenever the working calendar or the contacts' working-time positions would."""
        return _fingerprint(asdict(self))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def holiday_calendar(self, years: range) -> dict[date, str]:
        if not self.holidays:
            return {}
        return dict(_country_holidays(self.holidays, self.holiday_subdivision, years))


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    measure: str
    within: float
    unit: str
    target: float
    scope: dict[str, tuple[str, ...]] = field(default_factory=dict)   # lower-cased: matching ignores case
    # the scope values as the charter spells them ("SF Partner Desk"), for labels only
    scope_as_written: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def facts_fingerprint(self) -> str:
        """Changes whenever this standard's stored facts (which contacts, which clock, which
        deadline) would; its name and target only change how they are reported."""
        return _fingerprint({"measure": self.measure, "within": self.within, "unit": self.unit, "scope": self.scope})

    @property
    def promise(self) -> str:
        """'3 working days' — the promise in words."""
        amount = f"{self.within:g}"
        label = UNIT_LABELS[self.unit]
        if self.within == 1:
            label = label[:-1]
        return f"{amount} {label}"


# A deadline written in a standard's name ("within 1 working hour", "within eight weeks"): the first one.
NAMED_DEADLINE = re.compile(
    r"\b(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
    r"twenty-four|thirty|forty-eight)\s+(working\s+|business\s+)?(minute|hour|day|week)s?\b", re.IGNORECASE)
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty-four": 24,
                "thirty": 30, "forty-eight": 48}


def _comparable(amount: float, unit: str) -> tuple[str, float]:
    """A deadline as (calendar or working, length): calendar hours and days compare in hours, as do
    minutes; working hours and working days do not (a working day's length is the schedule's)."""
    if unit in ("hours", "days"):
        return "calendar", amount * (24 if unit == "days" else 1)
    return unit, amount


def name_contradicts_deadline(standard: Standard) -> str | None:
    """What a standard's name promises when it names another deadline than the one it is measured
    against ('within 1 working hour' over a 2-working-hour deadline): the pages print the name beside
    figures measured against the deadline, so a reader would take one for the other."""
    found = NAMED_DEADLINE.search(standard.name)
    if found is None:
        return None
    amount_text, working, word = found.group(1).casefold(), bool(found.group(2)), found.group(3).casefold()
    amount = NUMBER_WORDS.get(amount_text) or float(amount_text)
    if word == "week":
        amount, word = amount * (5 if working else 7), "day"
    if word == "minute":
        amount, word = amount / 60, "hour"
    named = ("business_" if working else "") + word + "s"
    if _comparable(amount, named) == _comparable(standard.within, standard.unit):
        return None
    return (f"'{standard.name}' says {found.group(0)}, but its deadline is {standard.promise}: every figure "
            f"is measured against the deadline.")


@dataclass(frozen=True)
class Charter:
    schedule: Schedule
    standards: tuple[Standard, ...]

    def standard(self, standard_id: str) -> Standard:
        for standard in self.standards:
            if standard.id == standard_id:
                return standard
        raise KeyError(standard_id)

    def fingerprint(self) -> str:
        """Changes whenever anything that affects deadlines or outcomes changes."""
        return _fingerprint(asdict(self))


def charter_path() -> Path:
    return Path(os.environ.get("DASHBOARD_CHARTER") or DEFAULT_CHARTER)


def load_charter(path: str | Path | None = None) -> Charter:
    """The saved charter. Its holiday country is checked when the calendar is built from it
    (charter.calendar, on the first use after any change of the charter), not on every load."""
    source = Path(path) if path else charter_path()
    if not source.exists():
        raise CharterError(f"No charter file at {source}. Copy data/charter.toml there to start.")
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CharterError(f"The charter file {source} is not UTF-8 text (byte {error.start}); save it as UTF-8.") from error
    except OSError as error:   # a folder, no permission
        raise CharterError(f"The charter file {source} cannot be read: {error.strerror}.") from error
    return parse_charter(text, check_holidays=False)


# The keys the charter may hold. A key that looks like a misspelling of one of them is refused, not
# ignored: `scopes = {...}` for `scope`, or `close` for `closes`, would otherwise change the figures
# without a word. Other keys (a `description`, an `owner`) are left alone, as TOML readers do.
TOP_KEYS = ("schedule", "standard")
SCHEDULE_KEYS = ("timezone", "working_days", "opens", "closes", "holidays", "holiday_subdivision", "closed_dates")
STANDARD_KEYS = ("id", "name", "measure", "within", "unit", "target", "scope")
# The longest promise per unit, a year: beyond it the working calendar (built to the end of the
# third year after this one) could run out before a deadline, and no charter promises more.
LONGEST = {"hours": 24 * 365, "days": 365, "business_hours": 2_000, "business_days": 250}
KINDS = ("enquiry", "complaint")


def _refuse_misspelt_keys(raw: dict, allowed: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key in allowed:
            continue
        meant = difflib.get_close_matches(str(key).casefold(), allowed, n=1, cutoff=0.7)
        if meant:
            raise CharterError(f"{where}: {key!r} is not a charter setting; did you mean {meant[0]!r}? "
                               f"(the settings are {', '.join(allowed)})")


def parse_charter(text: str, *, check_holidays: bool = True) -> Charter:
    """The charter in `text`, or CharterError saying what to fix. check_holidays: also ask the
    holidays package whether it knows the country and subdivision."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CharterError(f"The charter is not valid TOML: {error}") from error
    try:
        return _parse_document(document, check_holidays)
    except CharterError:
        raise
    except (TypeError, ValueError, OverflowError, AttributeError, KeyError) as error:
        # a value of the wrong kind that no check above foresaw: still a message, never a traceback
        raise CharterError(f"The charter has a value of the wrong kind ({type(error).__name__}: {error}). "
                           "Compare it with data/charter.toml.") from error


def _parse_document(document: dict, check_holidays: bool) -> Charter:
    if not document:
        raise CharterError("The charter is empty. Nothing was changed: start from data/charter.toml, with the "
                           "[schedule] and one [[standard]] per promise.")
    _refuse_misspelt_keys(document, TOP_KEYS, "The charter")
    raw_schedule = document.get("schedule")
    if not isinstance(raw_schedule, dict):
        # every deadline is counted in these hours: never assumed
        raise CharterError("Write the opening hours as a [schedule] table (timezone, working_days, opens, closes, "
                           "holidays), as in data/charter.toml: every working-hours deadline is counted in them.")
    if "timezone" not in raw_schedule:
        raise CharterError('[schedule] needs the timezone the contact centre works in, e.g. timezone = "Europe/London": '
                           "times without an offset are read in it, and the working hours are its.")
    schedule = _parse_schedule(raw_schedule, check_holidays)
    raw_standards = document.get("standard", [])
    if not isinstance(raw_standards, list) or not all(isinstance(raw, dict) for raw in raw_standards):
        raise CharterError("Write each standard as a [[standard]] table.")
    standards = tuple(_parse_standard(raw, number) for number, raw in enumerate(raw_standards, 1))
    ids = [standard.id for standard in standards]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CharterError(f"Standard ids must be unique; repeated: {', '.join(duplicates)}.")
    return Charter(schedule=schedule, standards=standards)


def _parse_time(value: object, key: str) -> time:
    """'09:00' (or '09:00:00'); a time with seconds other than 00 is refused rather than cut."""
    if isinstance(value, time) and not value.second and not value.microsecond and value.tzinfo is None:
        return value
    parts = str(value).split(":") if isinstance(value, str) else []
    try:
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "00") or not all(p.isdigit() for p in parts):
            raise ValueError(value)
        return time(int(parts[0]), int(parts[1]))
    except ValueError as error:
        raise CharterError(f"[schedule] {key} must look like 09:00, not {value!r}.") from error


def _day_index(name: object) -> int | None:
    """Mon or Monday (any case) -> 0; anything else (Monkey, 5) -> None."""
    if not isinstance(name, str):
        return None
    text = name.strip().title()
    for index, (short, full) in enumerate(zip(WEEKDAYS, DAY_NAMES)):
        if text in (short, full):
            return index
    return None


def _country_holidays(country: str, subdivision: str, years):
    # Imported here: the package and a country's rules take a tenth of a second to import, which
    # `cli.py kpis` and the pages need not pay when the stored calendar is current.
    import holidays

    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=years)
    except (NotImplementedError, KeyError, ValueError) as error:
        raise CharterError(
            f"[schedule] holidays = {country!r} / holiday_subdivision = {subdivision!r} is not "
            "understood by the holidays package (use a country code such as GB and a subdivision such as ENG)."
        ) from error


def _parse_schedule(raw: dict, check_holidays: bool) -> Schedule:
    _refuse_misspelt_keys(raw, SCHEDULE_KEYS, "[schedule]")
    defaults = Schedule()
    timezone = str(raw.get("timezone", defaults.timezone))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CharterError(f"[schedule] timezone {timezone!r} is not a known time zone (e.g. Europe/London).") from error
    day_names = raw.get("working_days", list(WEEKDAYS[:5]))
    if not isinstance(day_names, list) or not day_names or any(_day_index(d) is None for d in day_names):
        raise CharterError(f"[schedule] working_days must list days such as [\"Mon\", \"Tue\"]; got {day_names!r}.",
                           ("schedule", "working_days"))
    working_days = tuple(sorted({_day_index(d) for d in day_names}))
    opens = _parse_time(raw.get("opens", "09:00"), "opens")
    closes = _parse_time(raw.get("closes", "17:30"), "closes")
    if closes <= opens:
        raise CharterError(f"[schedule] closes ({closes:%H:%M}) must be later than opens ({opens:%H:%M}).",
                           ("schedule", "closes"))
    country, subdivision = raw.get("holidays", defaults.holidays), raw.get("holiday_subdivision", "")
    if not isinstance(country, str) or not isinstance(subdivision, str):
        raise CharterError("[schedule] holidays and holiday_subdivision are codes in quotes, such as \"GB\" and \"ENG\".")
    if country and check_holidays:
        _country_holidays(country, subdivision, [2026])
    closed_dates = raw.get("closed_dates", [])
    if not isinstance(closed_dates, list):
        raise CharterError(f"[schedule] closed_dates must be a list such as [\"2026-12-24\"]; got {closed_dates!r}.",
                           ("schedule", "closed_dates"))
    closed = []
    for value in closed_dates:
        try:
            closed.append(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError as error:
            raise CharterError(f"[schedule] closed_dates must be dates like 2026-12-24, not {value!r}.",
                               ("schedule", "closed_dates")) from error
    return Schedule(timezone, working_days, opens, closes, country, subdivision, tuple(sorted(closed)))


# An id names its promise in links (?standard=ack) and on the command line: one word, so that
# neither needs quoting or escaping. Checked where a promise is added in the app; an id with a space
# typed into the file by hand is read, and works on every page, in links and in `kpis --json`
# (docs/definitions.md, reading 49): refusing it would stop every page over a name nothing misreads.
ID_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def new_id_problem(identifier: str) -> str | None:
    """What is wrong with `identifier` as the id of a new standard, or None (an empty id is
    parse_charter's to refuse)."""
    if not identifier or ID_CHARACTERS.fullmatch(identifier):
        return None
    suggestion = re.sub(r"[^A-Za-z0-9_-]+", "_", identifier).strip("_")
    return (f"the id {identifier!r} is used in links and on the command line, so it is one word of letters, "
            "digits, _ and - only" + (f", such as {suggestion!r}." if suggestion else "."))


def _parse_standard(raw: dict, number: int) -> Standard:
    where = f"standard {number}"
    index = number - 1
    standard_id = str(raw.get("id", "")).strip()
    if not standard_id:
        raise CharterError(f"{where} needs an id (a short name such as 'ack').", ("standard", index, "id"))
    where = f"standard '{standard_id}'"
    _refuse_misspelt_keys(raw, STANDARD_KEYS, where)
    measure = raw.get("measure")
    if measure not in MEASURES:
        raise CharterError(f"{where}: measure must be one of {', '.join(MEASURES)}; got {measure!r}.")
    unit = raw.get("unit")
    if unit not in UNITS:
        raise CharterError(f"{where}: unit must be one of {', '.join(UNITS)}; got {unit!r}.")
    within = raw.get("within")
    if isinstance(within, bool) or not isinstance(within, (int, float)) or math.isnan(within):
        raise CharterError(f"{where}: within must be a number, such as 3.", ("standard", index, "within"))
    within = float(within)
    if within < 0 or (unit == "business_days" and within != int(within)):
        raise CharterError(f"{where}: within must be zero or more (whole days for business_days).",
                           ("standard", index, "within"))
    if within > LONGEST[unit]:
        raise CharterError(f"{where}: within is at most {LONGEST[unit]:,} {UNIT_LABELS[unit]} (a year); got {within:g}.",
                           ("standard", index, "within"))
    try:
        target = float(raw.get("target", 0.95))
    except (TypeError, ValueError) as error:
        raise CharterError(f"{where}: target must be a share such as 0.95.", ("standard", index, "target")) from error
    if not 0 <= target <= 1:
        raise CharterError(f"{where}: target is a share between 0 and 1 (0.95 = 95%); got {target:g} ({target * 100:g}%).",
                           ("standard", index, "target"))
    raw_scope = raw.get("scope", {})
    if not isinstance(raw_scope, dict):
        raise CharterError(f"{where}: scope is a table of contact columns, such as "
                           f"scope = {{ kind = \"complaint\" }}; got {raw_scope!r}.")
    scope, as_written = {}, {}
    for key, value in raw_scope.items():
        if key not in SCOPE_COLUMNS:
            raise CharterError(f"{where}: scope key {key!r} is not one of {', '.join(SCOPE_COLUMNS)}.")
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            raise CharterError(f"{where}: scope {key} lists text values in quotes; got {value!r}.")
        as_written[key] = tuple(v.strip() for v in values)
        scope[key] = tuple(v.lower() for v in as_written[key])
    # a kind is enquiry or complaint (blank: enquiry), so another word could never match
    never = [v for v in scope.get("kind", ()) if v and v not in KINDS]
    if never:
        raise CharterError(f"{where}: scope kind must be enquiry or complaint; got {', '.join(map(repr, never))}.")
    name = str(raw.get("name", standard_id))
    if not name.strip():
        # the name is the promise as published: pages print it beside every figure of the standard
        raise CharterError(f"{where}: name is the promise as published to customers and cannot be blank "
                           f"(leave it out to use the id {standard_id!r}).", ("standard", index, "name"))
    return Standard(standard_id, name, measure, within, unit, target, scope, as_written)


# Held by whoever saves the charter file and recomputes from it in this server process: Streamlit
# starts the run of a second click on Save while the first still recomputes (a double click saved
# and audited the same edit twice).
SAVING = threading.Lock()


def save_charter_text(text: str, path: str | Path | None = None) -> Charter:
    """Validate and write a whole charter document; nothing is written if it is invalid."""
    charter = parse_charter(text)
    target = Path(path) if path else charter_path()
    temporary = target.with_suffix(".toml.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)  # atomic on POSIX: readers see the old or the new file, never half
    return charter
