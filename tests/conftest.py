"""Shared fixtures: project paths, the sample report, the shared corpus (skipped where absent); the suite runs
in English whatever the machine's locale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xxgk import i18n

# English interface for the whole session, whatever the machine's locale; subprocesses inherit it
os.environ["LANG"] = "C.UTF-8"
for _key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_key, None)
i18n.activate("en")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "params" / "2020" / "yuyao-commerce.yaml"
SHARED = Path(os.environ.get("XXGK_SHARED", ROOT.parent / "shared"))


@pytest.fixture(autouse=True)
def _english_interface():
    """A test that switched the interface to Chinese (``--lang zh``) leaves English behind it."""
    yield
    if i18n.language() != "en":
        i18n.activate("en")


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
