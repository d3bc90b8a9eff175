#!/usr/bin/env bash
# Set up everything (with test tools), then run the linters and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check lib tests benchmarks
.venv/bin/python -m pytest -q "$@"
