#!/usr/bin/env bash
# One-time (idempotent) set-up: system packages on Debian/Ubuntu (when root or with sudo), a venv, the package.
# Usage: bash scripts/setup.sh [--test]     (--test also installs the test tools and LibreOffice)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_pkgs=(fonts-noto-cjk fonts-arphic-uming fonts-wqy-zenhei chromium chromium-headless-shell poppler-utils python3-venv)
[ "$want_test" = 1 ] && apt_pkgs+=(libreoffice-writer-nogui libreoffice-calc-nogui)
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  fi
  missing=()
  for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$SUDO" = none ]; then
      echo "setup: please install with your package manager: ${missing[*]}" >&2
    else
      echo "setup: installing ${missing[*]}"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
      rm -rf "${HOME}/.cache/matplotlib"   # a font cache built before the CJK font would not see it
    fi
  fi
else
  echo "setup: not a Debian/Ubuntu system; install a CJK font (Noto Sans/Serif CJK SC) and Chromium or Chrome yourself" >&2
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$want_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1 || true
# JupyterLab/Jupyter server of this venv: save template notebooks without outputs (lib/xxgk/nbclean.py)
mkdir -p .venv/etc/jupyter/jupyter_server_config.d
cp etc/jupyter/jupyter_server_config.d/xxgk.json .venv/etc/jupyter/jupyter_server_config.d/xxgk.json
