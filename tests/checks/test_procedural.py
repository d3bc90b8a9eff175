"""Procedural rules: deadline by agency level, statistical period, sections present, length of 一, format."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.checks.helpers import make, only
from xxgk.checks.procedural import DEADLINES
from xxgk.model import AGENCY_LEVELS, Cell


@pytest.mark.parametrize(
    ("level", "published", "expected"),
    [
        ("县级以上人民政府部门", dt.date(2022, 1, 31), None),
        ("县级以上人民政府部门", dt.date(2022, 2, 1), ("error", "2022年1月31日")),
        ("县级以上人民政府办公厅（室）", dt.date(2022, 2, 1), ("error", "2022年1月31日")),
        ("乡镇人民政府", dt.date(2022, 2, 1), ("warning", "2022年1月31日")),
        ("街道办事处", dt.date(2022, 1, 30), None),
        ("街道办事处", dt.date(2022, 3, 1), ("warning", "2022年1月31日")),
        ("县级政府", dt.date(2022, 2, 20), None),
        ("县级政府", dt.date(2022, 2, 21), ("warning", "2022年2月20日")),
        ("县级政府", dt.date(2022, 3, 31), ("warning", "2022年2月20日")),
        ("县级政府", dt.date(2022, 4, 1), ("error", "2022年3月31日")),
        ("地市级政府", dt.date(2022, 3, 10), None),
        ("地市级政府", dt.date(2022, 3, 11), ("warning", "2022年3月10日")),
        ("地市级政府", dt.date(2022, 5, 1), ("error", "2022年3月31日")),
        ("省级政府", dt.date(2022, 3, 31), None),
        ("省级政府", dt.date(2022, 4, 1), ("error", "2022年3月31日")),
        ("垂直管理系统", dt.date(2022, 4, 1), ("error", "2022年3月31日")),
    ],
)
def test_p1_deadlines(level, published, expected):
    found = only(make("2021", 2021, level=level, published=published), "P1")
    if expected is None:
        assert found == []
        return
    (f,) = found
    severity, deadline = expected
    assert (f.severity, f.status, f.cells) == (severity, "fail", ())
    assert f.message == f"[P1] 发布日期{published.isoformat()}晚于{deadline}（{level}的2021年度报告应在此前公布）"


def test_p1_covers_every_level_and_needs_a_date():
    assert set(AGENCY_LEVELS) == set(DEADLINES)
    assert only(make("2021", 2021, published=None), "P1") == []


def test_p1_published_before_the_year_ended():
    (f,) = only(make("2021", 2021, published=dt.date(2021, 12, 30)), "P1")
    assert (f.severity, f.status) == ("warning", "fail")
    assert f.message.startswith("[P1] 发布日期2021-12-30早于报告年度结束（2021年12月31日）")


@pytest.mark.parametrize(
    "preamble",
    [
        "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。",
        "本报告中所列数据统计时限为2021年1月1日至2021年12月31日。",
        "报告所列统计期限自 2021 年 1 月 1 日至 2021 年 12 月 31 日。",
        "本报告不写统计期限。",
    ],
)
def test_p2_passes(preamble):
    assert only(make("2021", 2021, preamble=preamble), "P2") == []


def test_p2_wrong_period():
    r = make("2021", 2021, preamble="本年度报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。")
    (f,) = only(r, "P2")
    assert (f.severity, f.status) == ("error", "fail")
    assert f.message == (
        "[P2] 报告开头：「统计期限自2020年1月1日起至2020年12月31日」与报告年度不符，"
        "统计期限应为2021年1月1日至2021年12月31日"
    )
    r = make("2021", 2021, sections={"s6": "统计时间段为2021年1月1日至2021年11月30日。本年度未收取信息处理费。"})
    (f,) = only(r, "P2")
    assert f.message.startswith("[P2] 六、其他需要报告的事项：「统计时间段为2021年1月1日至2021年11月30日」")


def test_p3_sections_present():
    assert only(make("2021"), "P3") == []
    r = make("2021", sections={"s1": "", "s5": "  \n", "s6": "本年度未收取信息处理费。"})
    found = only(r, "P3")
    assert [f.message for f in found] == [
        "[P3] 缺少「一、总体情况」部分的内容",
        "[P3] 缺少「五、存在的主要问题及改进情况」部分的内容",
    ]
    assert all((f.severity, f.status) == ("error", "fail") for f in found)


def test_p3_table_sections_need_values_or_text():
    r = make("2021")
    for cid in r.fmt.cell_ids("t4"):
        r.cells[cid] = Cell.blank()
    (f,) = only(r, "P3")
    assert f.message == "[P3] 缺少「四、政府信息公开行政复议、行政诉讼情况」部分：表格全部空白，也没有文字"
    r.sections["s4"] = "本年度未发生政府信息公开行政复议、行政诉讼。"
    assert only(r, "P3") == []
    r.sections["s4"] = ""
    r.cells["t4.review.total"] = Cell.of(0)
    assert only(r, "P3") == []


def test_p4_length():
    assert only(make("2021", sections={"s1": "政" * 1000 + "，。ABC 123"}), "P4") == []
    (f,) = only(make("2021", sections={"s1": "政" * 1001}), "P4")
    assert (f.severity, f.status) == ("warning", "fail")
    assert f.message == "[P4] 「一、总体情况」有1001个汉字，超过格式规定的篇幅（原则上不超过1000字）"
    assert only(make("2019", sections={"s1": "政" * 1500}), "P4") == []


@pytest.mark.parametrize(("format_id", "year"), [("2019", 2021), ("2021", 2020), ("2021", 2019)])
def test_p7_wrong_format(format_id, year):
    (f,) = only(make(format_id, year), "P7")
    assert (f.severity, f.status) == ("error", "fail")
    want = "国办公开办函〔2021〕30号" if year >= 2021 else "国办公开办函〔2019〕60号"
    assert f.message.startswith(f"[P7] {year}年度报告应使用{want}")


@pytest.mark.parametrize(("format_id", "year"), [("2019", 2019), ("2019", 2020), ("2021", 2021), ("2021", 2025)])
def test_p7_right_format(format_id, year):
    assert only(make(format_id, year), "P7") == []


def test_p2_second_date_without_year():
    assert only(make("2021", 2021, preamble="统计期限为2021年1月1日至12月31日。"), "P2") == []
    (f,) = only(make("2021", 2021, preamble="统计期限为2020年1月1日至12月31日。"), "P2")
    assert f.message.startswith("[P2] 报告开头：「统计期限为2020年1月1日至12月31日」与报告年度不符")


def test_tables_only_document_is_not_assessable_for_text_rules(sample):
    """An interchange document without any narrative: P3 and N-FEE cannot assess, and no error is raised."""
    from xxgk.checks import check_report

    sample.preamble = ""
    sample.sections = {}
    sample.section_titles = {}
    found = {f.rule: f for f in check_report(sample)}
    assert found["P3"].status == "not_assessable" and found["P3"].severity == "warning"
    assert not any(f.is_error for f in found.values())
