"""The user guide builds with ``mkdocs build --strict`` (broken links fail) and lists every registered rule."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_guide_builds_strict_with_every_rule(tmp_path):
    pytest.importorskip("mkdocs")
    from xxgk.checks import base, engine  # noqa: F401

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "lib"), os.environ.get("PYTHONPATH", "")])}
    res = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert res.returncode == 0, res.stderr
    rules = (tmp_path / "site" / "rules" / "index.html").read_text(encoding="utf-8")
    assert base.RULES and all(f"<code>{rid}</code>" in rules for rid in base.RULES)
