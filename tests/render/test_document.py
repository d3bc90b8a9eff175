"""The report parts without a build: numbering with extensions, published heading variants, dates, escaping."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from tests.render.reports import ROOT, pingtan_yaml
from xxgk.params import load_params, loads_params
from xxgk.render import document


def _headings(report) -> list[str]:
    soup = BeautifulSoup(document.report_html(report), "lxml")
    return [(h.name, h.get_text()) for h in soup.select("h2, h3")]


def test_numbered_extension_renumbers_following_sections():
    report = load_params(ROOT / "params/2020/yuyao-commerce.yaml")
    assert [t for _, t in _headings(report)][:4] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、公开平台建设和信息发布情况", "四、收到和处理政府信息公开申请情况",
    ]  # fmt: skip
    report.extensions[0].numbered = False
    assert _headings(report)[:4] == [
        ("h2", "一、总体情况"), ("h2", "二、主动公开政府信息情况"), ("h3", "公开平台建设和信息发布情况"),
        ("h2", "三、收到和处理政府信息公开申请情况"),
    ]  # fmt: skip


def test_template_headings_without_published_variants():
    report = loads_params(pingtan_yaml(2022))
    assert [t for _, t in _headings(report)] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ]  # fmt: skip


def test_dates_header_and_title():
    assert document.chinese_date(dt.date(2021, 1, 20)) == "2021年1月20日"
    assert document.chinese_date(dt.date(2023, 12, 5)) == "2023年12月5日"
    assert document.chinese_date(None) == ""
    report = load_params(ROOT / "params/2020/yuyao-commerce.yaml")
    assert document.header_text(report) == "余姚市商务局　2020年政府信息公开工作年度报告"
    assert document.title_html(report) == (
        '<h1 class="report-title"><span class="title-head">余姚市商务局2020年</span>'
        '<wbr><span class="title-rest">政府信息公开工作年度报告</span></h1>'
    )
    assert document.report_meta(report) == {
        "title": "余姚市商务局2020年政府信息公开工作年度报告",
        "header": "余姚市商务局　2020年政府信息公开工作年度报告",
        "agency": "yuyao-commerce",
        "year": 2020,
    }
    report.signature = None
    assert document.signature_html(report) == ""
