"""The three canonical tables of spec section 1: their columns, types, keys and required columns."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str            # text | lower_text | timestamp | date | integer | csat | decimal | kind
    required: bool = False


@dataclass(frozen=True)
class CanonicalTable:
    name: str
    versions: str                 # the table that keeps every uploaded row version
    key: tuple[str, ...]          # the upsert key
    columns: tuple[Column, ...]
    # Rows are written in this order so that each row group covers a narrow range of it and DuckDB
    # skips row groups by their min/max: dates for the dashboard's period filters, which for
    # contacts also keeps ticket ids (issued in time order by helpdesks) close for the upsert.
    cluster_by: str
    key_in_words: str             # one row's key as people say it: "a row of the same ticket"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def has_updated_at(self) -> bool:
        return "updated_at" in self.column_names

    @property
    def has_timestamps(self) -> bool:
        """Whether it holds times of day, which a file's stated time zone applies to (dates do not)."""
        return any(column.kind == "timestamp" for column in self.columns)


CONTACTS = CanonicalTable(
    "contacts", "contact_versions", ("ticket_id",),
    (
        Column("ticket_id", "text", True),
        Column("opened_at", "timestamp", True),
        Column("customer_id", "text"),
        Column("kind", "kind"),
        Column("channel", "lower_text"),
        Column("priority", "lower_text"),
        Column("team", "text"),
        Column("agent", "text"),
        Column("partner", "text"),
        Column("category", "text"),
        Column("acknowledged_at", "timestamp"),
        Column("first_response_at", "timestamp"),
        Column("resolved_at", "timestamp"),
        Column("follow_up_at", "timestamp"),
        Column("reopened_count", "count"),
        Column("csat", "csat"),
        Column("updated_at", "timestamp"),
    ),
    cluster_by="opened_at, ticket_id",
    key_in_words="ticket",
)

CUSTOMERS = CanonicalTable(
    "customers", "customer_versions", ("customer_id",),
    (
        Column("customer_id", "text", True),
        Column("joined_at", "date", True),
        Column("left_at", "date"),
        Column("segment", "text"),
        Column("product", "text"),
        Column("region", "text"),
    ),
    cluster_by="customer_id",
    key_in_words="customer",
)

# The key starts with period: an upsert tests a range on the first key column to skip row groups,
# and prices arrive (and are stored) period by period.
PRICES = CanonicalTable(
    "prices", "price_versions", ("period", "customer_id", "product"),
    (
        Column("customer_id", "text", True),
        Column("period", "date", True),
        Column("price_paid", "money", True),
        Column("product", "text"),
        Column("new_customer_price", "money"),
        Column("channel", "lower_text"),
    ),
    cluster_by="period, customer_id, product",
    key_in_words="customer, product and period",
)

TABLES = {t.name: t for t in (CONTACTS, CUSTOMERS, PRICES)}
