#!/usr/bin/env bash
# Install Charter Desk into .venv, build the demo database if there is none, and start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python cli.py demo --if-missing
exec .venv/bin/python -m streamlit run app.py --server.headless true "$@"
