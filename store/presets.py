"""Column presets: how a vendor's export (or a saved custom layout) maps onto a canonical table.

Built-in presets are TOML files in store/presets/; managers' saved mappings live in the database
(table saved_presets) so that they travel with the data and its backups.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from store.tables import TABLES

BUILT_IN_DIR = Path(__file__).with_name("presets")
DURATION_UNITS = {"seconds": 1_000_000, "minutes": 60_000_000, "hours": 3_600_000_000}


@dataclass(frozen=True)
class KindRule:
    column: str
    complaint: tuple[str, ...]
    match: str = "value"          # value: the whole cell; token: any comma/space separated word


@dataclass(frozen=True)
class Preset:
    name: str
    table: str
    columns: dict[str, tuple[str, ...]]                     # canonical -> accepted headers
    detect: tuple[str | tuple[str, ...], ...] = ()   # headers that all appear; a tuple: any one of its names
    durations: dict[str, tuple[str, str]] = field(default_factory=dict)  # stop -> (header, unit)
    kind_rule: KindRule | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # canonical -> {source: value}
    description: str = ""
    date_format: str | None = None   # the order a manager chose for this layout's ambiguous dates
    # timestamp -> headers read, in order, on a row whose own cell is blank (a ticket closed
    # without being resolved was resolved when it was closed, at the latest: reading 47)
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))


@dataclass(frozen=True)
class ResolvedMapping:
    """A preset applied to one file's header row: canonical column -> header position."""
    preset: Preset
    columns: dict[str, int]
    durations: dict[str, tuple[int, str]]
    kind_column: int | None
    missing_required: list[str]
    fallbacks: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # canonical -> (position, header)

    def used_positions(self) -> set[int]:
        """Every file column the mapping reads, whatever for."""
        used = set(self.columns.values()) | {position for position, _ in self.durations.values()}
        used |= {position for columns in self.fallbacks.values() for position, _ in columns}
        if self.kind_column is not None:
            used.add(self.kind_column)
        return used


def normalise_header(header: str) -> str:
    return header.replace("\ufeff", "").strip().casefold()


def _duration(declared: dict | list) -> tuple[str, str]:
    """A TOML file declares {column, unit}; a saved mapping's JSON holds the pair as a list."""
    if isinstance(declared, dict):
        return declared["column"], declared.get("unit", "minutes")
    return declared[0], declared[1]


def _fallbacks(raw: dict) -> dict[str, tuple[str, ...]]:
    fallbacks = {k: tuple(v) if isinstance(v, list) else (v,) for k, v in raw.get("fallbacks", {}).items()}
    kinds = {c.name: c.kind for c in TABLES[raw["table"]].columns}
    for canonical in fallbacks:
        # the fallback cell is read as its column's type: only timestamps are read that way (validation.py)
        if kinds.get(canonical) != "timestamp":
            raise ValueError(f"Preset {raw['name']!r}: a fallback is for a timestamp column, not {canonical!r}")
    return fallbacks


def _preset_from_dict(raw: dict) -> Preset:
    columns = {k: tuple(v) if isinstance(v, list) else (v,) for k, v in raw.get("columns", {}).items()}
    durations = {k: _duration(v) for k, v in raw.get("durations", {}).items()}
    kind = raw.get("kind") or raw.get("kind_rule")
    kind_rule = None
    if kind:
        kind_rule = KindRule(kind["column"], tuple(str(x).lower() for x in kind["complaint"]), kind.get("match", "value"))
    # lower(), as the upload lower()s the cells it compares (casefold would make 'Straße' 'strasse')
    values = {k: {str(a).lower(): str(b) for a, b in v.items()} for k, v in raw.get("values", {}).items()}
    detect = tuple(tuple(d) if isinstance(d, list) else d for d in raw.get("detect", ()))
    return Preset(raw["name"], raw["table"], columns, detect, durations, kind_rule, values,
                  raw.get("description", ""), raw.get("date_format"), _fallbacks(raw))


def canonical_preset(table: str) -> Preset:
    names = TABLES[table].column_names
    return Preset("canonical", table, {n: (n,) for n in names}, tuple(TABLES[table].required),
                  description="Charter Desk's own column names (spec section 1)")


def built_in_presets() -> list[Preset]:
    return [_preset_from_dict(tomllib.loads(p.read_text())) for p in sorted(BUILT_IN_DIR.glob("*.toml"))]


def _recognised_by_every_mapped_header(preset: Preset) -> Preset:
    """A saved mapping was made for one layout: it is recognised in a file only when every header
    it reads is there (the kind rule's column too), or a file without its kind column would load
    every contact as an enquiry without a word. Also for mappings saved before this rule."""
    headers = [alternatives[0] for alternatives in preset.columns.values()]
    if preset.kind_rule:
        headers.append(preset.kind_rule.column)
    return replace(preset, detect=tuple(dict.fromkeys(headers)))


def saved_presets(con) -> list[Preset]:
    rows = con.cursor().execute("SELECT definition FROM saved_presets ORDER BY name").fetchall()
    return [_recognised_by_every_mapped_header(_preset_from_dict(json.loads(r[0]))) for r in rows]


def presets_for(con, table: str) -> list[Preset]:
    """Every preset that can load `table`: canonical first, then vendors, then saved ones."""
    found = [canonical_preset(table)]
    found += [p for p in built_in_presets() if p.table == table]
    if con is not None:
        found += [p for p in saved_presets(con) if p.table == table]
    return found


def find_preset(con, table: str, name: str) -> Preset | None:
    for preset in presets_for(con, table):
        if preset.name.casefold() == name.casefold():   # names are kept as typed, found whatever the case
            return preset
    return None


def resolve(preset: Preset, headers: list[str]) -> ResolvedMapping:
    position = {}
    for index, header in enumerate(headers):
        position.setdefault(normalise_header(header), index)

    def first_present(alternatives) -> int | None:
        for alternative in alternatives:
            if normalise_header(alternative) in position:
                return position[normalise_header(alternative)]
        return None

    columns = {}
    for canonical, alternatives in preset.columns.items():
        found = first_present(alternatives)
        if found is not None:
            columns[canonical] = found
    durations = {}
    for stop, (header, unit) in preset.durations.items():
        found = first_present([header])
        if found is not None:
            durations[stop] = (found, unit)
    fallbacks = {}
    for canonical, alternatives in preset.fallbacks.items():
        # each present column once, and never the column already mapped (a file without
        # "Resolved time" maps "Closed time" itself)
        taken = {columns.get(canonical)}
        found = []
        for header in alternatives:
            at = first_present([header])
            if at is not None and at not in taken:
                taken.add(at)
                found.append((at, header))
        if found:
            fallbacks[canonical] = tuple(found)
    kind_column = first_present([preset.kind_rule.column]) if preset.kind_rule else None
    missing = [c for c in TABLES[preset.table].required if c not in columns]
    return ResolvedMapping(preset, columns, durations, kind_column, missing, fallbacks)


def detect(con, table: str, headers: list[str]) -> Preset | None:
    """The preset whose identifying headers all appear, preferring the most specific; None if none."""
    present = {normalise_header(h) for h in headers}
    best, best_score = None, 0
    for preset in presets_for(con, table):
        wanted = [{normalise_header(n) for n in (names if isinstance(names, tuple) else (names,))}
                  for names in preset.detect]
        if wanted and all(names & present for names in wanted):
            score = len(wanted) + (0.5 if preset.name != "canonical" else 0)
            if score > best_score:
                best, best_score = preset, score
    return best


def closest_preset(con, table: str, headers: list[str]) -> Preset:
    """The preset that finds most of the file's columns, to start a mapping from when none
    recognises the file (a vendor renamed one column). Charter Desk's own names on a tie, or when no
    preset finds three columns (a header or two like "Priority" say nothing of the layout)."""
    candidates = presets_for(con, table)   # once: it reads the saved mappings from the database
    found = [len(resolve(preset, headers).columns) for preset in candidates]
    most = max(found)
    return candidates[found.index(most)] if most >= 3 else canonical_preset(table)   # the first listed on a tie


def delete_preset(cursor, name: str) -> str | None:
    """Forget a saved mapping (batches loaded with it keep its name); the table it was for, or None
    when there was no such saved mapping."""
    held = cursor.execute("DELETE FROM saved_presets WHERE name = ? RETURNING table_name", [name]).fetchall()
    return held[0][0] if held else None


def save_preset(cursor, preset: Preset, user: str) -> bool:
    """Save a mapping under its name; True when it replaced this table's mapping of that name. A
    name another table's mapping holds is refused (ValueError): names are shared by all tables,
    and saving must never drop someone else's mapping."""
    held = [(name, table) for name, table in cursor.execute("SELECT name, table_name FROM saved_presets").fetchall()
            if name.casefold() == preset.name.casefold()]
    if held and held[0][1] != preset.table:
        raise ValueError(f"A saved mapping named '{held[0][0]}' already exists for {held[0][1]}. "
                         "Choose another name.")
    if held and held[0][0] != preset.name:   # "Acme Desk" replaces "acme desk": one mapping per name, whatever its case
        cursor.execute("DELETE FROM saved_presets WHERE name = ?", [held[0][0]]).fetchall()
    cursor.execute(
        "INSERT OR REPLACE INTO saved_presets VALUES (?, ?, ?, ?, now())",
        [preset.name, preset.table, preset.to_json(), user],
    ).fetchall()
    return bool(held)


def custom_preset(name: str, table: str, mapping: dict[str, str], kind_rule: KindRule | None = None) -> Preset:
    """A preset from an interactive mapping (canonical column -> the file's header)."""
    clean = name.strip()
    if not clean or clean.casefold() in {"canonical", "zendesk", "freshdesk", "zammad", "osticket"}:
        raise ValueError("Choose a preset name that is not empty and not a built-in preset's name.")
    columns = {canonical: (header,) for canonical, header in mapping.items() if header}
    return Preset(clean, table, columns, tuple(columns[c][0] for c in TABLES[table].required if c in columns),
                  kind_rule=kind_rule, description=f"Saved mapping for {table}")
