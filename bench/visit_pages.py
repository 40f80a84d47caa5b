"""Visit every page of the app with Streamlit's AppTest (the real app.py, real database) and report,
as JSON on stdout: the queries each page ran (name-less SQL text + parameters, recorded at
queries.run_sql), each page's wall time on the first (cold) and second (warm, st.cache_data) visit,
each the best of `repeat` rounds of visits, and this process's peak resident memory (VmHWM), i.e.
the memory of a server rendering the pages.

Run by bench/run.py in its own process (arguments: the calls file, the rounds): DASHBOARD_DB and
DASHBOARD_CHARTER must be set.
"""
from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import queries  # noqa: E402
import queries.whatif  # noqa: E402

PAGES = ["overview", "compliance", "responsiveness", "complaints", "pricing", "data", "charter"]
RECORDED: list[tuple[str, str, object, dict]] = []
CURRENT = {"page": None, "recording": True}


def _recording(original):
    def run_sql(con, sql, filters=queries.NO_FILTERS, **parameters):
        if CURRENT["recording"]:
            RECORDED.append((CURRENT["page"], sql, filters, parameters))
        return original(con, sql, filters, **parameters)
    return run_sql


SPENT: dict[str, float] = {}


def _timed(module, name: str) -> None:
    """Add the time spent in module.name (as the pages call it) to SPENT[current page]."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            key = f"{CURRENT['page']}:{'app' if name == 'ensure_facts_current' else 'queries'}"
            SPENT[key] = SPENT.get(key, 0.0) + time.perf_counter() - started
    setattr(module, name, wrapper)


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(out_calls: str, repeat: int) -> None:
    queries.run_sql = _recording(queries.run_sql)
    queries.whatif.run_sql = queries.run_sql
    from components import context
    for name in ("query", "kpis", "whatif", "as_of", "start_run", "ensure_facts_current"):
        _timed(context, name)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600)
    at.secrets = {"charterdesk_bench": True}
    import streamlit as st
    timings = {}
    CURRENT["page"] = "startup"
    started = time.perf_counter()
    at.run()
    timings["startup (first run, overview)"] = {"cold_s": time.perf_counter() - started}
    for round_number in range(repeat):
        CURRENT["recording"] = round_number == 0   # the queries a page runs are the same each round
        for page in PAGES:
            # Each page's first visit computes all of its queries (none served by another page's cache).
            st.cache_data.clear()
            SPENT.clear()
            CURRENT["page"] = page
            started = time.perf_counter()
            at.switch_page(f"views/{page}.py").run()
            cold = time.perf_counter() - started
            errors = [str(e.value) for e in at.exception]
            CURRENT["page"] = page + " (warm)"
            started = time.perf_counter()
            at.run()
            warm = time.perf_counter() - started
            visit = {"cold_s": cold, "warm_s": warm, "errors": errors,
                     "cold_queries_s": SPENT.get(f"{page}:queries", 0.0),
                     "warm_queries_s": SPENT.get(f"{page} (warm):queries", 0.0),
                     "warm_facts_check_s": SPENT.get(f"{page} (warm):app", 0.0)}
            # best of the rounds, each time on its own (as figures (a), (b) and (e) take theirs)
            earlier = timings.get(page)
            timings[page] = visit if earlier is None else {
                key: min(value, earlier[key]) if isinstance(value, float) else earlier[key] + value
                for key, value in visit.items()}
    with open(out_calls, "wb") as handle:
        pickle.dump([r for r in RECORDED if r[0] in PAGES], handle)
    print(json.dumps({"pages": timings, "rounds": repeat, "peak_rss_mb": peak_rss_mb(),
                      "warm_queries_run": sum(1 for r in RECORDED if r[0].endswith("(warm)"))}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
