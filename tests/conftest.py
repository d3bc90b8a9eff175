"""Shared fixtures: project paths, the sample report, the shared corpus (skipped where absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "params" / "2020" / "yuyao-commerce.yaml"
SHARED = Path(os.environ.get("XXGK_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def root() -> Path:
    """The project root."""
    return ROOT


@pytest.fixture
def sample_path() -> Path:
    """The params file of the seed sample (余姚市商务局 2020)."""
    return SAMPLE


@pytest.fixture
def sample():
    """The seed sample loaded as a Report."""
    from xxgk.params import load_params

    return load_params(SAMPLE)


@pytest.fixture
def corpus() -> Path:
    """``../shared/corpus``; tests using it skip on machines without it."""
    d = SHARED / "corpus"
    if not d.is_dir():
        pytest.skip("../shared/corpus is not on this machine")
    return d


@pytest.fixture
def seed_text() -> str:
    """The seed report as exported to text; skips where ../shared is absent."""
    f = SHARED / "seeds" / "000_91f7c50ee08d0f8f.txt"
    if not f.is_file():
        pytest.skip("../shared/seeds is not on this machine")
    return f.read_text(encoding="utf-8")
