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


def test_every_rule_has_its_basis_and_no_basis_is_orphaned():
    """checks/data/basis.yaml and the registry name the same rules; each basis says what kind it is."""
    from xxgk.checks import base, engine  # noqa: F401
    from xxgk.checks.basis import KINDS, rule_basis

    basis = rule_basis()
    assert set(basis) == set(base.RULES)
    assert all(b["kind"] in KINDS and len(b["basis"]) >= 10 for b in basis.values())


def test_the_rules_page_shows_the_basis(tmp_path):
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import hooks
    finally:
        sys.path.pop(0)
    table = hooks.rules_table().splitlines()
    row = next(line for line in table if line.startswith("| `T3-BAL` |"))
    assert row.startswith("| `T3-BAL` | 错误 | 表三每列：第一项 + 第二项 = 第三项（（七）总计） + 第四项 | 〔官方〕表三表头注：")
    assert row.endswith("| `checks/tables.py` |")
