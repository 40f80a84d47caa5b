"""Every Python file of the project passes pyflakes: no unused import, undefined name or name
redefined unused is left behind by an edit. Review used to catch these by hand, when it did."""
from __future__ import annotations

import io
from pathlib import Path

from pyflakes.api import checkRecursive
from pyflakes.reporter import Reporter

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The project's own code: everything but the virtualenv, caches and the benchmark's output.
# bench/out/ holds scripts the benchmark writes (git-ignored), so only bench's own files are named.
CODE = ["app.py", "cli.py", *sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "bench").glob("*.py")),
        "charter", "components", "demo", "queries", "store", "tests", "views"]


def test_pyflakes_finds_nothing_in_the_project():
    warnings, errors = io.StringIO(), io.StringIO()
    found = checkRecursive([str(PROJECT_ROOT / path) for path in CODE], Reporter(warnings, errors))
    assert (found, warnings.getvalue(), errors.getvalue()) == (0, "", "")


def test_pyflakes_would_report_an_unused_import(tmp_path):
    # The check above passes only if pyflakes is really looking: here it must find the one fault.
    (tmp_path / "sloppy.py").write_text("import os\n", encoding="utf-8")
    warnings = io.StringIO()
    assert checkRecursive([str(tmp_path)], Reporter(warnings, io.StringIO())) == 1
    assert "'os' imported but unused" in warnings.getvalue()
