"""Fixtures of the report tests: the sample and a 2021-format report, each built once per session."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.render.reports import session_builds


@pytest.fixture(scope="session")
def builds(tmp_path_factory):
    """The session's builds: 'sample' (余姚市商务局 2020) and 'pingtan' (平潭 2022), plus 'params' and 'base'."""
    return session_builds(tmp_path_factory)


@pytest.fixture(scope="session")
def sample_html(builds) -> str:
    """The built sample report.html."""
    return builds["sample"].paths["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_soup(sample_html) -> BeautifulSoup:
    """The built sample report.html, parsed."""
    return BeautifulSoup(sample_html, "lxml")


@pytest.fixture(scope="session")
def pingtan_soup(builds) -> BeautifulSoup:
    """The built 2021-format report (平潭综合实验区 2022), parsed."""
    return BeautifulSoup(builds["pingtan"].paths["html"].read_text(encoding="utf-8"), "lxml")
