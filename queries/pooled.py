"""Figures pooled from the per-group counts of a named query (the counts are defined in the SQL;
only the pooling happens here, so a pooled figure and its parts can never disagree)."""
from __future__ import annotations

import pandas as pd

LONG_TENURE_YEARS = 3  # "long-tenure" customers: three completed years or more
NO_PRICE_BAND = "No price data"   # churn_by_band's price-gap band of customers with no bill yet (store/schema.sql)


# The price_walk columns share_above_new_price and loyalty_penalty read: a caller that shows only
# those asks for only them (queries.only_columns) and the gap quartiles are not computed.
LOYALTY_COLUMNS = ("tenure_years", "benchmarked", "above", "penalty")


def _long_tenure(price_walk: pd.DataFrame, min_years: int) -> pd.DataFrame:
    return price_walk[price_walk["tenure_years"] >= min_years]


def benchmarked_bills(price_walk: pd.DataFrame, min_years: int = LONG_TENURE_YEARS) -> int:
    """Price rows with a benchmark of customers with at least `min_years` completed years."""
    return int(_long_tenure(price_walk, min_years)["benchmarked"].sum())


def share_above_new_price(price_walk: pd.DataFrame, min_years: int = LONG_TENURE_YEARS) -> float | None:
    """Share of benchmarked price rows of customers with at least `min_years` completed years that
    pay more than the new-customer benchmark (pooled from price_walk, like pricing_by_tenure's share_above)."""
    long = _long_tenure(price_walk, min_years)
    benchmarked = long["benchmarked"].sum()
    return float(long["above"].sum() / benchmarked) if benchmarked else None


def loyalty_penalty(price_walk: pd.DataFrame, min_years: int = 0) -> float | None:
    """Total of max(0, price_paid - benchmark) over the price rows of customers with >= min_years."""
    part = _long_tenure(price_walk, min_years)["penalty"].dropna()
    return float(part.sum()) if len(part) else None


def period_churn(churn_monthly: pd.DataFrame) -> tuple[float | None, float | None]:
    """Average monthly churn over the months shown (leavers / customers active at the months'
    starts, pooled) and its annualised equivalent 1 - (1 - monthly)^12."""
    active = churn_monthly["active_at_start"].sum()
    if not active:
        return None, None
    monthly = float(churn_monthly["left"].sum() / active)
    return monthly, 1 - (1 - monthly) ** 12


def priced_bands(churn_by_gap: pd.DataFrame) -> pd.DataFrame:
    """churn_by_band's price-gap rows of customers with a bill, so with a price gap: what the charts draw."""
    return churn_by_gap[churn_by_gap["band"] != NO_PRICE_BAND]
