"""The site without kernels: index page (parsed), open data (loaded with pandas), overview figures."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from xxgk.batch.manifest import Manifest
from xxgk.demo import generate, write_demo
from xxgk.params import discover, load_params
from xxgk.site.data import load_reports, write_open_data
from xxgk.site.index import index_rows, render_index
from xxgk.site.overview import build_overview, measures, rankings_html, status_html, totals_html, year_over_year_html

EVIL = '<script>alert("x")</script>&'


@pytest.fixture
def site(tmp_path):
    params = tmp_path / "params"
    write_demo(params, 4, [2021, 2022], seed=3)
    out = tmp_path / "out"
    m = Manifest(out)
    found = discover(params)
    for i, (y, a, _) in enumerate(found):
        d = out / str(y) / a
        d.mkdir(parents=True)
        for name in ("report.html", "report.pdf", "build.log"):
            (d / name).write_text("x", encoding="utf-8")
        status = "failed" if i == 1 else "ok"
        state = {3: "error", 4: "warning", 5: "incomplete"}.get(i, "clean")
        findings = {3: [{"rule": "T3-BAL", "severity": "error", "status": "fail", "message": EVIL}],
                    5: [{"rule": "P5", "severity": "warning", "status": "not_assessable", "message": "无法核对总体情况"}]}
        m.record(f"{y}/{a}", {"agency": a, "year": y, "status": status, "name": EVIL if i == 0 else f"机关{i}",
                              "level": "乡镇人民政府" if i == 2 else "县级以上人民政府部门", "format": "2021",
                              "checks": None if status == "failed" else {"errors": 2 if i == 3 else 0, "warnings": 1 if i == 4 else 0,
                                                                        "not_assessable": int(i == 5), "gaps": 3 if i == 5 else 0},
                              "state": None if status == "failed" else state, "findings": findings.get(i, []),
                              "gaps": ["t3.granted.total", "t3.granted.other", "s6"] if i == 5 else [],
                              "error": {"kind": "cell", "message": "boom <b>"} if status == "failed" else None,
                              "outputs": {"html": f"{y}/{a}/report.html", "pdf": f"{y}/{a}/report.pdf", "log": f"{y}/{a}/build.log"}},
                 save=False)  # fmt: skip
    m.save()
    return params, out, m, found


def test_index_page_lists_everything_escaped_and_offline(site):
    params, out, m, found = site
    html_text = render_index(index_rows(out, m, found), {2022: "2022/overview.html"})
    soup = BeautifulSoup(html_text, "html.parser")
    rows = soup.select("#reports tbody tr")
    assert len(rows) == 8
    statuses = [r["data-status"] for r in rows]
    assert sorted(statuses) == ["clean"] * 4 + ["error", "failed", "incomplete", "warning"]
    # the hostile name is text, not markup
    assert "<script>alert" not in html_text and EVIL in soup.get_text()
    assert len(soup.find_all("script")) == 1 and len(soup.find_all("style")) == 1
    # links are relative and resolve; no network references anywhere
    hrefs = [a["href"] for a in soup.select("#reports a")]
    assert hrefs and all((out / h).is_file() for h in hrefs)
    assert "http://" not in html_text and "https://" not in html_text and "src=" not in html_text
    # filters offer every year, level and status; the search covers name and id
    assert [o["value"] for o in soup.select("#f-year option")] == ["", "2022", "2021"]
    assert {o["value"] for o in soup.select("#f-level option")} == {"", "乡镇人民政府", "县级以上人民政府部门"}
    assert [o["value"] for o in soup.select("#f-status option")] == ["", "error", "incomplete", "warning", "clean", "failed",
                                                                     "pending"]  # fmt: skip
    # counts per state, each a button that filters
    assert {b["data-status"]: b.text.split()[-1] for b in soup.select(".counts button")} == {
        "error": "1", "incomplete": "1", "warning": "1", "clean": "4", "failed": "1"}  # fmt: skip
    assert all(r["data-search"] for r in rows) and soup.select_one("#f-search")
    badge = rows[0].select_one(".badge")  # 2022/demo-001: one warning
    assert badge.text == "有警告" and "b-warning" in badge["class"]
    # the findings one click away, escaped
    err = next(r for r in rows if r["data-status"] == "error")
    assert err.select_one("details summary").text.startswith("检查结果：错误 2")
    assert err.select_one("details li").text == f"T3-BAL错误：{EVIL}"
    inc = next(r for r in rows if r["data-status"] == "incomplete")
    items = [li.text for li in inc.select("details li")]
    assert items == ["P5无法核对：无法核对总体情况", "缺项空白单元格或空章节：t3.granted.total、t3.granted.other、s6（3 处）"]
    failed = next(r for r in rows if r["data-status"] == "failed").select_one(".badge")
    assert failed.text == "构建失败" and failed["title"] == "boom <b>"
    assert soup.select_one(".overviews a")["href"] == "2022/overview.html"


def test_index_pending_report_without_entry(site):
    params, out, m, found = site
    del m.reports["2022/demo-003"]
    rows = index_rows(out, m, found, {(2022, "demo-003"): ("某机关", "街道办事处")})
    row = next(r for r in rows if r["agency"] == "demo-003" and r["year"] == 2022)
    assert (row["status"], row["name"], row["links"]) == ("pending", "某机关", [])


def test_open_data_loads_in_one_pandas_call(site, tmp_path):
    params, out, m, found = site
    reports = load_reports(out, found)
    csv_path, json_path = write_open_data(out, reports)
    cells = pd.read_csv(csv_path)
    assert list(cells.columns) == ["agency_id", "agency_name", "year", "format", "cell_id", "label_path", "value", "blank"]
    assert len(cells) == sum(len(r.fmt.cells) for r in reports)
    one = cells[(cells.agency_id == "demo-002") & (cells.year == 2022) & (cells.cell_id == "t3.new_received.total")]
    assert one.value.item() == load_params(params / "2022" / "demo-002.yaml").value("t3.new_received.total")
    docs = pd.read_json(json_path)
    assert len(docs) == 8 and set(docs.year) == {2021, 2022} and (docs.schema == "xxgk.report/1").all()


def test_overview_figures():
    reports = list(generate(6, [2021, 2022], seed=9))
    cur = [r for r in reports if r.year == 2022]
    ov = build_overview(2022, cur, [r for r in reports if r.year == 2021],
                        {"reports": {"2022/demo-001": {"agency": "demo-001", "year": 2022, "status": "ok", "state": "error",
                                                        "checks": {"errors": 3, "warnings": 0}, "outputs": {"html": "2022/demo-001/report.html"}}}})  # fmt: skip
    # demo-gov is the sum of the other five: counted once, through its members
    assert [r.agency.id for r in cur if r.members] == ["demo-gov"]
    total_new = sum(r.value("t3.new_received.total") for r in cur if not r.members)
    assert total_new == next(r for r in cur if r.members).value("t3.new_received.total")
    assert ov.history[2022]["new"] == total_new and ov.history[2022]["agencies"] == 5
    assert f"<td class=\"v\">{total_new:,}</td>" in totals_html(ov)
    ranked = rankings_html(ov)
    top = max(cur, key=lambda r: (r.value("t3.new_received.total"), r.agency.id))
    assert ranked.index(top.agency.name) < min(ranked.index(r.agency.name) for r in cur if r is not top)
    m = measures(cur[0])
    assert m["granted_share"] == (m["granted"] / m["handled"] if m["handled"] else None)
    page = status_html(ov, "../")
    assert 'href="../2022/demo-001/report.html"' in page and "<td>有错误</td>" in page
    yoy = year_over_year_html(ov)
    assert "2021年" in yoy and "2022年" in yoy and "<svg" in yoy
    assert "没有往年数据" in year_over_year_html(build_overview(2022, cur))


@pytest.mark.slow
def test_index_filters_work_in_a_real_browser_from_file_url(site):
    from playwright.sync_api import sync_playwright

    from xxgk.render.pdf import BROWSER_ARGS, find_chromium

    params, out, m, found = site
    page_path = out / "index.html"
    page_path.write_text(render_index(index_rows(out, m, found)), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=list(BROWSER_ARGS), headless=True)
        ctx = browser.new_context(offline=True)
        requests = []
        ctx.on("request", lambda r: requests.append(r.url))
        page = ctx.new_page()
        page.goto(page_path.as_uri())

        def visible():
            return page.locator("#reports tbody tr:not([hidden])").count()

        assert visible() == 8 and page.locator("#count").inner_text() == "8"
        page.select_option("#f-year", "2021")
        assert visible() == 4
        page.select_option("#f-level", "乡镇人民政府")
        assert visible() == 1
        page.select_option("#f-level", "")
        page.select_option("#f-status", "failed")
        assert visible() == 1 and page.locator("#count").inner_text() == "1"
        page.select_option("#f-status", "")
        page.select_option("#f-year", "")
        page.fill("#f-search", "机关3")
        assert visible() == 1
        page.fill("#f-search", "demo-003")
        assert visible() == 2
        browser.close()
    assert all(u.startswith("file:") for u in requests)


def test_index_links_the_analysis_page_after_the_publication(site):
    params, out, m, found = site
    y, a, _ = found[0]
    (out / str(y) / a / "analysis.html").write_text("x", encoding="utf-8")
    m.reports[f"{y}/{a}"]["outputs"]["analysis_html"] = f"{y}/{a}/analysis.html"
    row = next(r for r in index_rows(out, m, found) if (r["year"], r["agency"]) == (y, a))
    assert row["links"] == [("HTML", f"{y}/{a}/report.html"), ("PDF", f"{y}/{a}/report.pdf"),
                            ("分析资料", f"{y}/{a}/analysis.html"), ("日志", f"{y}/{a}/build.log")]  # fmt: skip
    soup = BeautifulSoup(render_index([row], {}), "html.parser")
    assert [x["href"] for x in soup.select("#reports a") if x.text == "分析资料"] == [f"{y}/{a}/analysis.html"]


def test_index_links_the_status_boards():
    from xxgk.site.index import render_index

    page = render_index([], boards={2022: "2022/status.html", 2021: "2021/status.html"})
    assert '报送情况：<a href="2022/status.html">2022年</a><a href="2021/status.html">2021年</a>' in page


def test_saved_document_of_a_consolidated_report_keeps_its_members(tmp_path):
    import json

    from xxgk.interchange import to_document
    from xxgk.site.data import document_path

    params = tmp_path / "params"
    write_demo(params, 3, [2022])
    gov = load_params(params / "2022" / "demo-gov.yaml")
    doc = document_path(tmp_path / "out", 2022, "demo-gov")
    doc.parent.mkdir(parents=True)
    doc.write_text(json.dumps(to_document(gov), ensure_ascii=False, default=str), encoding="utf-8")
    (loaded,) = load_reports(tmp_path / "out", [(2022, "demo-gov", params / "2022" / "demo-gov.yaml")])
    assert loaded.source == str(doc) and loaded.members == ["demo-001", "demo-002"]
