"""Shared test set-up: every test gets its own database file and charter copy (never data/)."""
from __future__ import annotations

import gc
import shutil
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


@pytest.fixture(autouse=True)
def isolated_files(tmp_path, monkeypatch):
    """Point the app at a fresh database and a copy of the default charter for this test."""
    charter = tmp_path / "charter.toml"
    shutil.copy(PROJECT_ROOT / "data" / "charter.toml", charter)
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "dashboard.duckdb"))
    monkeypatch.setenv("DASHBOARD_CHARTER", str(charter))
    yield
    # AppTest runs share this process: drop cached connections so database files are released.
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    gc.collect()


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT
