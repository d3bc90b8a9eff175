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
    """An interchange document without any narrative: P3, P5 and P8 cannot assess, and no error is raised."""
    from xxgk.checks import check_report

    sample.preamble = ""
    sample.sections = {}
    sample.section_titles = {}
    found = check_report(sample)
    assert [(f.rule, f.severity, f.status) for f in found] == [
        ("P3", "warning", "not_assessable"),
        ("P5", "warning", "not_assessable"),
        ("P8", "warning", "not_assessable"),
    ]
    assert [f.message for f in found[1:]] == [
        "[P5] 本报告数据不含任何正文文字（仅有表格），无法核对一、总体情况是否涵盖主动公开、依申请公开等方面",
        "[P8] 本报告数据不含任何正文文字（仅有表格），无法核对存在的主要问题及改进情况",
    ]


TOPICS_21 = "主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障"
TOPICS_19 = "主动公开、依申请公开、政府信息管理、平台建设、监督保障"
#: Pingtan 2022's five sub-heads and a sentence of each, in short
PINGTAN_S1 = (
    "（一）主动公开方面。2022年全区共主动公开政府信息14571条。（二）依申请公开方面。畅通依申请公开渠道。"
    "（三）政府信息管理方面。健全信息发布平台管理机制。（四）信息公开平台建设方面。优化升级政府门户网站。"
    "（五）监督保障方面。结合工作考核机制进行抽查通报。"
)
#: the seed sample's 一 (余姚市商务局 2020), which covers every topic in its own words, in short
YUYAO_S1 = (
    "（一）完善平台畅通公开渠道。认真做好门户网站信息公开平台相关板块的信息发布维护工作。"
    "（二）扎实做好依申请公开工作。全年未收到政府信息公开申请书。"
    "（三）加强政府信息管理。严格执行“先审查，后公开”原则。（四）明确分工，加强监督。"
)


@pytest.mark.parametrize("s1", [PINGTAN_S1, YUYAO_S1, "做好主动公开、依申请公开、信息管理、平台建设和监督保障工作。"])
@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_p5_topics_covered(format_id, s1):
    assert only(make(format_id, sections={"s1": s1}), "P5") == []


@pytest.mark.parametrize(
    ("format_id", "s1", "missing", "topics"),
    [
        ("2021", "本机关认真贯彻落实政府信息公开条例，做好各项工作。", TOPICS_21, TOPICS_21),
        ("2019", "本机关认真贯彻落实政府信息公开条例，做好各项工作。", TOPICS_19, TOPICS_19),
        ("2021", PINGTAN_S1.replace("（二）依申请公开方面。畅通依申请公开渠道。", ""), "依申请公开", TOPICS_21),
        ("2019", "主动公开政府信息200条，依申请公开工作规范有序，加强保密审查。", "平台建设、监督保障", TOPICS_19),
    ],
)
def test_p5_missing_topics(format_id, s1, missing, topics):
    (f,) = only(make(format_id, sections={"s1": s1}), "P5")
    assert (f.severity, f.status, f.cells) == ("warning", "fail", ())
    assert f.message == f"[P5] 「一、总体情况」未涉及{missing}方面的内容（格式要求总体情况主要包括{topics}等方面）"


GOVERNMENT_ITEMS = "（条例第五十条第四项：各级人民政府的年度报告还应包括工作考核、社会评议和责任追究结果情况）"


@pytest.mark.parametrize(
    ("level", "applies"),
    [
        ("乡镇人民政府", True),
        ("县级政府", True),
        ("地市级政府", True),
        ("省级政府", True),
        ("县级以上人民政府部门", False),
        ("县级以上人民政府办公厅（室）", False),
        ("街道办事处", False),
        ("垂直管理系统", False),
    ],
)
def test_p5_governments_report_assessment_review_and_accountability(level, applies):
    found = only(make("2021", level=level), "P5")
    if not applies:
        assert found == []
        return
    (f,) = found
    assert (f.severity, f.status) == ("warning", "fail")
    assert f.message == f"[P5] {level}的年度报告未见工作考核、社会评议、责任追究结果情况{GOVERNMENT_ITEMS}"


def test_p5_government_items_anywhere_in_the_text():
    r = make("2021", level="县级政府", sections={"s1": PINGTAN_S1})
    (f,) = only(r, "P5")  # Pingtan's 「工作考核」 is there, the other two are not
    assert f.message == f"[P5] 县级政府的年度报告未见社会评议、责任追究结果情况{GOVERNMENT_ITEMS}"
    r.sections["s6"] = "本年度积极接受社会评议，未发生责任追究情况。本年度未收取信息处理费。"
    assert only(r, "P5") == []


def test_p5_without_text_in_section_one_is_not_assessable():
    (f,) = only(make("2021", sections={"s1": " \n"}), "P5")
    assert (f.severity, f.status, f.cells) == ("warning", "not_assessable", ())
    assert f.message == "[P5] 「一、总体情况」没有文字，无法核对其是否涵盖主动公开、依申请公开等方面"


@pytest.mark.parametrize(
    "s5",
    [
        "存在的主要问题是公开深度不够，下一步将加强培训并完善制度。",
        "一是政策解读形式单一；二是队伍专业化水平有待提升。针对上述问题，我局将丰富解读形式，定期组织培训。",
        "主要问题：个别科室信息报送不及时。改进情况：建立信息报送通报制度。",
    ],
)
def test_p8_problems_and_measures(s5):
    assert only(make("2021", sections={"s5": s5}), "P8") == []


@pytest.mark.parametrize(
    ("s5", "message"),
    [
        ("无。", "既未写明存在的主要问题，也未写明改进措施（现有内容：「无。」）"),
        (
            "下一步，我局将继续加强政务公开工作，不断提高公开质量和水平。",
            "只写了改进措施，未写明存在的主要问题（现有内容：「下一步，我局将继续加强政务公开工作，不断提高公开质量和水平。」）",
        ),
        (
            "本年度政府信息公开工作存在的主要问题是部分信息发布不够及时，个别栏目内容更新较慢，信息审核流程仍显繁琐。",
            "只写了存在的问题，未写明改进措施（现有内容：「本年度政府信息公开工作存在的主要问题是部分信息发布不够及时，…」）",
        ),
    ],
)
def test_p8_fails(s5, message):
    (f,) = only(make("2021", sections={"s5": s5}), "P8")
    assert (f.severity, f.status, f.cells) == ("warning", "fail", ())
    assert f.message == f"[P8] 「五、存在的主要问题及改进情况」{message}"


def test_p8_without_text_in_section_five_is_not_assessable():
    (f,) = only(make("2019", sections={"s5": ""}), "P8")
    assert (f.severity, f.status, f.cells) == ("warning", "not_assessable", ())
    assert f.message == "[P8] 「五、存在的主要问题及改进情况」没有文字，无法核对是否写明存在的问题和改进措施"
