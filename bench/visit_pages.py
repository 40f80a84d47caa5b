"""Visit every page of the app with Streamlit's AppTest (the real app.py, real database) and report,
as JSON on stdout: the queries each page ran (name-less SQL text + parameters, recorded at
queries.run_sql), each page's wall time on the first (cold) and second (warm, st.cache_data) visit,
and this process's peak resident memory (VmHWM), i.e. the memory of a server rendering the pages.

Run by bench/run.py in its own process: DASHBOARD_DB and DASHBOARD_CHARTER must be set.
"""
from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

import streamlit.runtime.scriptrunner.script_runner as script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import queries  # noqa: E402
import queries.whatif  # noqa: E402

PAGES = ["overview", "compliance", "responsiveness", "complaints", "pricing", "data", "charter"]
RECORDED: list[tuple[str, str, object, dict]] = []
CURRENT = {"page": None}


def _recording(original):
    def run_sql(con, sql, filters=queries.NO_FILTERS, **parameters):
        RECORDED.append((CURRENT["page"], sql, filters, parameters))
        return original(con, sql, filters, **parameters)
    return run_sql


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(out_calls: str) -> None:
    queries.run_sql = _recording(queries.run_sql)
    queries.whatif.run_sql = queries.run_sql
    # As a real server does after st.navigation: always run app.py, which routes to the page
    # (the same as tests/page_helpers.run_main_script_instead_of_pages_folder).
    def run_main_script(path: str) -> None:
        with open(path, encoding="utf-8") as handle:
            code = compile(handle.read(), path, "exec")
        exec(code, {"__name__": "__main__", "__file__": path})  # noqa: S102 - the app's own entry point
    script_runner._mpa_v1 = run_main_script  # noqa: SLF001

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600)
    at.secrets = {"charterdesk_bench": True}
    timings = {}
    CURRENT["page"] = "app (sidebar)"
    started = time.perf_counter()
    at.run()
    timings["app (first run)"] = {"cold_s": time.perf_counter() - started}
    for page in PAGES:
        CURRENT["page"] = page
        started = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
        cold = time.perf_counter() - started
        errors = [str(e.value) for e in at.exception]
        CURRENT["page"] = page + " (warm)"
        started = time.perf_counter()
        at.run()
        warm = time.perf_counter() - started
        timings[page] = {"cold_s": cold, "warm_s": warm, "errors": errors}
    with open(out_calls, "wb") as handle:
        pickle.dump([r for r in RECORDED if not r[0].endswith("(warm)")], handle)
    print(json.dumps({"pages": timings, "peak_rss_mb": peak_rss_mb(),
                      "warm_queries_run": sum(1 for r in RECORDED if r[0].endswith("(warm)"))}))


if __name__ == "__main__":
    main(sys.argv[1])
