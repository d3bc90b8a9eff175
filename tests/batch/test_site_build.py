"""End to end with the real report notebook: HTML and PDF per report, overviews, open data and the index page."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from tests.batch.test_batch_run import rerun, xxgk
from xxgk.demo import write_demo

pytestmark = pytest.mark.slow


def test_build_real_reports_and_site(tmp_path):
    params = tmp_path / "params"
    write_demo(params, 2, [2021, 2022], seed=11)
    out = tmp_path / "build"
    r = xxgk("build", "--params", params, "--out", out, "--jobs", 2, "--quiet", timeout=400)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "4 built, 0 failed" in r.stdout
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for e in m["reports"].values():
        assert e["status"] == "ok" and e["checks"]["errors"] == 0
        assert set(e["stages"]) >= {"kernel_start", "execute", "html", "pdf", "total"}
        assert (out / e["outputs"]["pdf"]).read_bytes()[:5] == b"%PDF-"
        assert "示例" in (out / e["outputs"]["html"]).read_text(encoding="utf-8")
    # per-year overviews, exported like the reports
    for year in (2021, 2022):
        page = (out / str(year) / "overview.html").read_text(encoding="utf-8")
        assert f"{year}年政府信息公开工作年度报告总览" in page and "<svg" in page and "<script" not in page
    assert "年度对比" in (out / "2022" / "overview.html").read_text(encoding="utf-8")
    # open data in one pandas call each
    cells = pd.read_csv(out / "data" / "cells.csv")
    assert set(cells.year) == {2021, 2022} and cells.agency_id.nunique() == 2
    assert len(pd.read_json(out / "data" / "reports.json")) == 4
    # the index links every report and overview
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("#reports tbody tr")) == 4
    for a in soup.select("a"):
        assert (out / a["href"]).is_file(), a["href"]
    # nothing to do the second time; the site steps that depend on reports are skipped too
    again = rerun(("build", "--params", params, "--out", out, "--quiet"), out)
    assert again.returncode == 0 and "4 up to date" in again.stdout and "overview:" not in again.stdout
