"""Cross-year rules, and how the previous year's report is found."""

from __future__ import annotations

import pytest

from tests.checks.helpers import make, only, put, t3_rows
from xxgk.checks import check_report
from xxgk.params_write import save_params

S1 = (
    "本机关深入贯彻落实政府信息公开条例，围绕主动公开、依申请公开、政府信息管理、平台建设和监督保障五个方面"
    "扎实开展工作，完善公开目录，规范发布流程，加强保密审查，及时回应社会关切，政务公开水平稳步提升。"
)


def pair(prev_format="2021", cur_format="2021", carry_out=(2, 0, 0, 0, 0, 0), carried_in=(2, 0, 0, 0, 0, 0)):
    """Last year's and this year's report of one agency, consistent across the years."""
    py = 2020 if prev_format == "2019" else 2021
    prev = make(prev_format, py, t3=t3_rows(prev_format, {"granted": [3, 0, 0, 0, 0, 0]}, carry_out=list(carry_out)))
    cur = make(cur_format, py + 1, t3=t3_rows(cur_format, {"granted": [4, 0, 0, 0, 0, 0]}, carried_in=list(carried_in)))
    return prev, cur


@pytest.mark.parametrize(("prev_format", "cur_format"), [("2019", "2019"), ("2019", "2021"), ("2021", "2021")])
def test_consistent_years_pass(prev_format, cur_format):
    prev, cur = pair(prev_format, cur_format)
    if prev_format == "2019" and cur_format == "2019":
        prev.year, cur.year = 2019, 2020
    assert check_report(cur, prev) == []


def test_x_carry_error_for_the_same_agency():
    prev, cur = pair(carried_in=(1, 0, 0, 0, 0, 0))
    (f,) = [f for f in only(cur, "X-CARRY", prev) if "自然人" in f.message]
    assert (f.severity, f.status) == ("error", "fail")
    assert f.message == (
        "[X-CARRY] 表三「自然人」列（左为本年报告，右为2021年报告）：二、上年结转政府信息公开申请数量(1) = 1，"
        "不等于 四、结转下年度继续办理(2) = 2"
    )
    assert f.cells == ("t3.carried_over.natural_person", "t3.carried_forward.natural_person")


def test_x_carry_across_the_format_change_and_renamed_agency_is_a_warning():
    prev, cur = pair("2019", "2021", carried_in=(0, 0, 0, 0, 0, 0))
    prev.agency.name = "示例局（机构改革前）"
    found = only(cur, "X-CARRY", prev)
    assert [(f.severity, f.status) for f in found] == [("warning", "fail")] * 2  # 自然人 and 总计
    assert found[0].message.endswith("（上年报告机关为示例局（机构改革前）（demo-agency），机构可能有调整）")


def test_x_carry_blank_last_year_is_not_assessable():
    prev, cur = pair()
    put(prev, "t3", "carried_forward", [2, None, 0, 0, 0, 0, 2])
    (f,) = only(cur, "X-CARRY", prev)
    assert (f.severity, f.status, f.cells) == ("warning", "not_assessable", ("t3.carried_forward.commercial",))
    assert "上年报告表三「四、结转下年度继续办理」：法人或其他组织/商业企业" in f.message


def test_x_valid_21():
    prev, cur = pair()
    put(prev, "t2", "normative_documents", [3, 0, 100])
    put(cur, "t2", "normative_documents", [10, 5, 105])
    assert only(cur, "X-VALID-21", prev) == []
    put(cur, "t2", "normative_documents", [10, 5, 104])
    (f,) = only(cur, "X-VALID-21", prev)
    assert (f.severity, f.status) == ("warning", "fail")
    assert f.message.startswith(
        "[X-VALID-21] 表二「行政规范性文件」：现行有效件数(104) 不等于 2021年报告现行有效件数(100) + "
        "本年制发件数(10) − 本年废止件数(5) = 105"
    )
    assert f.cells == (
        "t2.normative_documents.in_force",
        "t2.normative_documents.issued",
        "t2.normative_documents.repealed",
    )


def test_x_valid_21_not_across_the_format_change():
    prev, cur = pair("2019", "2021")
    put(cur, "t2", "normative_documents", [10, 5, 999])
    assert only(cur, "X-VALID-21", prev) == []


def test_x_items_19():
    prev, cur = pair("2019", "2019")
    prev.year, cur.year = 2019, 2020
    put(prev, "t2", "licensing", [10, 2, 50])
    put(cur, "t2", "licensing", [12, -1, 40])
    put(prev, "t2", "fees", [4, -1])
    put(cur, "t2", "fees", [3, 0])
    assert only(cur, "X-ITEMS-19", prev) == []
    put(cur, "t2", "licensing", [11, -1, 40])
    (f,) = only(cur, "X-ITEMS-19", prev)
    assert (f.severity, f.status) == ("warning", "fail")
    assert f.message == (
        "[X-ITEMS-19] 表二「行政许可」（左为本年报告，右为2019年报告）：上一年项目数量(11) = 11，"
        "不等于 上一年项目数量(10) + 本年增/减(2) = 12"
    )
    assert f.cells == ("t2.licensing.prior_items", "t2.licensing.prior_items", "t2.licensing.change")


def test_x_similar_text_copied_with_the_year_changed():
    prev, cur = pair()
    prev.sections["s1"] = "2021年，" + S1
    cur.sections["s1"] = "2022年，" + S1
    (f,) = only(cur, "X-SIMILAR", prev)
    assert (f.severity, f.status, f.cells) == ("warning", "fail", ())
    assert f.message == (
        "[X-SIMILAR] 「一、总体情况」与2021年报告的相似度为100%（字符三元组，忽略数字和标点），不得出现年年雷同"
    )


def test_x_similar_text_rewritten_passes():
    prev, cur = pair()
    prev.sections["s1"] = S1
    cur.sections["s1"] = (
        "本年度重点推进决策公开和政策解读，新建规范性文件库，开展政务新媒体清理整合，全年组织业务培训三次，"
        "依申请公开答复质量明显提高，行政复议纠错率下降。"
    )
    assert only(cur, "X-SIMILAR", prev) == []


def test_x_similar_tables_identical():
    prev, cur = pair(carried_in=(2, 0, 0, 0, 0, 0))
    cur.cells = {k: type(v)(v.value, v.state) for k, v in prev.cells.items()}
    (f,) = only(cur, "X-SIMILAR", prev)
    assert f.message.startswith("[X-SIMILAR] 表二至表四的全部200个数据与2021年报告完全相同（其中")
    assert len(f.cells) == 10 + 175 + 15
    # all-zero tables equal to last year's are not suspicious
    assert only(make("2021", 2022), "X-SIMILAR", make("2021", 2021)) == []


def test_previous_from_params_dir(tmp_path):
    prev, cur = pair(carried_in=(1, 0, 0, 0, 0, 0))
    save_params(prev, tmp_path / "2021" / "demo-agency.yaml")
    rules = [f.rule for f in check_report(cur, params_dir=tmp_path)]
    assert rules.count("X-CARRY") == 2
    assert check_report(cur, params_dir=tmp_path / "missing") == []


def test_previous_of_the_wrong_year_is_refused():
    prev, cur = pair()
    prev.year = 2019
    with pytest.raises(ValueError, match="expected 2021"):
        check_report(cur, prev)
