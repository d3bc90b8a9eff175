#!/usr/bin/env bash
# Set up everything, then build the sample report: build/2020/yuyao-commerce/report.{html,pdf} (the publication)
# and analysis.{html,pdf} (the analyst page)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/xxgk build --agency yuyao-commerce --year 2020 "$@"
