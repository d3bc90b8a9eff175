"""Narrative ↔ table rules: stated numbers, the fee statement and the narrated year."""

from __future__ import annotations

import pytest

from tests.checks.helpers import CLEAN_SECTIONS, make, only, put, t3_rows, t4_rows
from xxgk.checks import check_report

# 23 new + 2 carried in = 21 handled + 4 carried forward; outcomes as the sentences below state them
OUTCOMES = {
    "granted": [7, 0, 0, 0, 0, 0],
    "partly_granted": [2, 1, 0, 0, 0, 0],
    "withheld_third_party": [2, 0, 0, 0, 0, 0],
    "withheld_process": [1, 0, 0, 0, 0, 0],
    "unavailable_not_held": [5, 0, 0, 0, 0, 0],
    "unavailable_unclear": [1, 0, 0, 0, 0, 0],
    "rejected_repeated": [2, 0, 0, 0, 0, 0],
}


def report(s1: str = "", s3: str = "", s4: str = "", **kw):
    t3 = t3_rows("2021", OUTCOMES, carried_in=[2, 0, 0, 0, 0, 0], carry_out=[3, 0, 0, 0, 0, 1])
    sections = {"s1": s1 or CLEAN_SECTIONS["s1"], "s3": s3, "s4": s4}
    return make("2021", 2021, sections=sections, t3=t3, t4=t4_rows(review=(1, 1, 0, 0), direct=(0, 0, 0, 1)), **kw)


def test_table_of_the_fixture():
    r = report()
    assert [
        r.value(f"t3.{row}.total") for row in ("new_received", "carried_over", "total_handled", "carried_forward")
    ] == [
        23,
        2,
        21,
        4,
    ]


GOOD = (
    "2021年，本机关共收到政府信息公开申请23件，上年结转2件，全年办结21件，结转下年度继续办理4件。"
    "其中予以公开7件，部分公开3件，不予公开3件，无法提供6件，不予处理2件。"
    "全年因政府信息公开被申请行政复议2件，被提起行政诉讼1件。"
)


def test_matching_text_passes_every_rule():
    assert check_report(report(GOOD + CLEAN_SECTIONS["s1"])) == []
    assert check_report(report(s3=GOOD)) == []


@pytest.mark.parametrize(
    ("sentence", "message", "cells"),
    [
        (
            "2021年，本机关共收到政府信息公开申请20件。",
            "[N-APPS] 一、总体情况：文中「收到政府信息公开申请20件」为20件，但表三「一、本年新收政府信息公开申请数量」"
            "（总计列）为23（连同表三「二、上年结转政府信息公开申请数量」（总计列）为25）",
            ("t3.new_received.total",),
        ),
        (
            "本年度办结政府信息公开申请，共办结20件。",
            "[N-APPS] 一、总体情况：文中「办结20件」为20件，但表三「（七）总计」（总计列）为21",
            ("t3.total_handled.total",),
        ),
        (
            "依申请公开方面，2021年结转下年度继续办理3件。",
            "[N-APPS] 一、总体情况：文中「结转下年度继续办理3件」为3件，但表三「四、结转下年度继续办理」（总计列）为4",
            ("t3.carried_forward.total",),
        ),
        (
            "政府信息公开申请中，上年结转1件。",
            "[N-APPS] 一、总体情况：文中「上年结转1件」为1件，但表三「二、上年结转政府信息公开申请数量」（总计列）为2",
            ("t3.carried_over.total",),
        ),
        (
            "全年未收到政府信息公开申请。",
            "[N-APPS] 一、总体情况：文中「未收到政府信息公开申请」为0件，但表三「一、本年新收政府信息公开申请数量」"
            "（总计列）为23",
            ("t3.new_received.total",),
        ),
    ],
)
def test_n_apps_fails(sentence, message, cells):
    (f,) = only(report(sentence), "N-APPS")
    assert (f.severity, f.status, f.message, f.cells) == ("warning", "fail", message, cells)


@pytest.mark.parametrize(
    "sentence",
    [
        "2021年收到政府信息公开申请25件（含上年结转2件）。",  # 含上年结转: new + carried
        "2021年，全区收到政府信息公开申请25件，均按时答复。",  # the total the agency worked on (Pingtan 2022 style)
        "全年受理行政许可申请1000件。",  # not a disclosure application
        "全年受理网络问政182件，答复182件。",  # not applications at all
        "未收到政府信息公开行政复议申请。",  # about 表四
        "2020年共收到政府信息公开申请15件，本年有所增加。",  # another year's figure
        "延期答复2件，均经申请人同意。",  # a subset of the handled
        "对依申请公开工作，本机关收到申请后及时答复。",  # no number
    ],
)
def test_n_apps_is_conservative(sentence):
    assert only(report(sentence), "N-APPS") == []


def test_n_apps_blank_table_cell_is_not_assessable():
    r = report("2021年，本机关共收到政府信息公开申请23件。")
    r.cells["t3.new_received.total"] = type(r.cells["t3.new_received.total"]).blank()
    found = only(r, "N-APPS")
    assert [(f.status, f.severity, f.cells) for f in found] == [
        ("not_assessable", "warning", ("t3.new_received.total",))
    ]


def test_n_outcomes_like_shanghai_2019():
    """Shanghai 2019: 「予以公开及部分公开258件」 against 275 in the table; 「无法提供265件」 was only the first sub-row."""
    outcomes = {"granted": [200, 0, 0, 0, 0, 0], "partly_granted": [75, 0, 0, 0, 0, 0]}
    outcomes |= {"unavailable_not_held": [265, 0, 0, 0, 0, 0], "unavailable_needs_creation": [72, 0, 0, 0, 0, 0]}
    text = "本年度收到的政府信息公开申请中，予以公开及部分公开258件，无法提供265件。"
    r = make("2019", 2019, sections={"s1": text}, t3=t3_rows("2019", outcomes))
    found = only(r, "N-OUTCOMES")
    assert [(f.severity, f.status) for f in found] == [("warning", "fail")] * 2
    assert found[0].message == (
        "[N-OUTCOMES] 一、总体情况：文中「予以公开及部分公开258件」为258件，"
        "但表三「（一）予以公开」+「（二）部分公开（区分处理的，只计这一情形，不计其他情形）」（总计列）之和为275"
    )
    assert found[0].cells == ("t3.granted.total", "t3.partly_granted.total")
    assert found[1].message == (
        "[N-OUTCOMES] 一、总体情况：文中「无法提供265件」为265件，但表三「（四）无法提供」各项（总计列）之和为337"
    )
    assert found[1].cells == (
        "t3.unavailable_not_held.total",
        "t3.unavailable_needs_creation.total",
        "t3.unavailable_unclear.total",
    )


@pytest.mark.parametrize(
    ("sentence", "number", "cells"),
    [
        ("申请办理结果中，予以公开6件。", "7", 1),
        ("申请办理结果中，部分公开2件。", "3", 1),
        ("申请办理结果中，不予公开4件。", "3", 8),
        ("申请办理结果中，不予处理1件。", "2", 5),
    ],
)
def test_n_outcomes_each_group(sentence, number, cells):
    (f,) = only(report(sentence), "N-OUTCOMES")
    assert f.message.endswith(f"为{number}") and len(f.cells) == cells


def test_n_outcomes_ignores_counts_for_one_kind_of_applicant():
    assert only(report("申请办理结果中，自然人予以公开5件。"), "N-OUTCOMES") == []


# 表二 (一) of the N-T2 fixtures: [本年制发件数, 本年废止件数, 现行有效件数] (2021), [新制作, 新公开, 对外公开总数量] (2019)
T2_21 = {"regulations": [0, 1, 4], "normative_documents": [3, 2, 15]}
T2_19 = {"regulations": [0, 0, 0], "normative_documents": [3, 2, 20]}


def t2_report(format_id: str, s1: str, t2: dict | None = None):
    year = 2020 if format_id == "2019" else 2021
    t2 = t2 or (T2_19 if format_id == "2019" else T2_21)
    return make(format_id, year, sections={"s1": s1 + CLEAN_SECTIONS["s1"]}, t2=t2)


@pytest.mark.parametrize(
    ("format_id", "text"),
    [
        ("2021", "2021年，本机关制发行政规范性文件3件，废止规章1件，截至年底现行有效行政规范性文件15件。"),
        ("2021", "行政规范性文件本年制发3件、废止2件、现行有效15件；规章现行有效件数4件。"),
        ("2021", "动态更新本年度制发的规范性文件3件，未新制定规章。"),  # Pingtan 2022 wording
        ("2019", "2020年，本局新制定规范性文件3件，新公开规范性文件2件。"),
        ("2019", "规范性文件对外公开总数量为20件。"),
    ],
)
def test_n_t2_matching_text_passes(format_id, text):
    r = t2_report(format_id, text)
    assert check_report(r) == []


@pytest.mark.parametrize(
    ("format_id", "text", "messages", "cells"),
    [
        (
            "2021",
            "2021年，本机关制发行政规范性文件4件。",
            ["[N-T2] 一、总体情况：文中「制发行政规范性文件4件」为4件，但表二「行政规范性文件」（本年制发件数列）为3"],
            [("t2.normative_documents.issued",)],
        ),
        (
            "2021",
            "本年度新制定规章2件，废止规章1件。",
            ["[N-T2] 一、总体情况：文中「本年度新制定规章2件」为2件，但表二「规章」（本年制发件数列）为0"],
            [("t2.regulations.issued",)],
        ),
        (
            "2021",
            "截至2021年12月31日，现行有效规范性文件16件。",
            [
                "[N-T2] 一、总体情况：文中「现行有效规范性文件16件」为16件，但表二「行政规范性文件」（现行有效件数列）为15"
            ],
            [("t2.normative_documents.in_force",)],
        ),
        (
            "2021",
            "行政规范性文件本年制发3件、废止1件、现行有效14件。",
            [
                "[N-T2] 一、总体情况：文中「行政规范性文件本年制发3件、废止1件」为1件，"
                "但表二「行政规范性文件」（本年废止件数列）为2",
                "[N-T2] 一、总体情况：文中「行政规范性文件本年制发3件、废止1件、现行有效14件」为14件，"
                "但表二「行政规范性文件」（现行有效件数列）为15",
            ],
            [("t2.normative_documents.repealed",), ("t2.normative_documents.in_force",)],
        ),
        (
            "2019",
            "2020年，本局制发规范性文件5件。",
            ["[N-T2] 一、总体情况：文中「制发规范性文件5件」为5件，但表二「规范性文件」（本年新制作数量列）为3"],
            [("t2.normative_documents.made",)],
        ),
        (
            "2019",
            "全年新公开规范性文件3件，对外公开总数量规范性文件20件。",
            ["[N-T2] 一、总体情况：文中「全年新公开规范性文件3件」为3件，但表二「规范性文件」（本年新公开数量列）为2"],
            [("t2.normative_documents.published",)],
        ),
    ],
)
def test_n_t2_fails(format_id, text, messages, cells):
    found = only(t2_report(format_id, text), "N-T2")
    assert [f.message for f in found] == messages
    assert [f.cells for f in found] == cells
    assert all((f.severity, f.status) == ("warning", "fail") for f in found)


@pytest.mark.parametrize(
    ("format_id", "text"),
    [
        ("2021", "累计制发规范性文件200件。"),  # cumulative, not this year's
        ("2021", "全市共制发规范性文件3件，其中市政府办公室制发规范性文件9件。"),  # a part
        ("2021", "审核各部门制发规范性文件20件。"),  # someone else's documents
        ("2021", "制定和修订规范性文件9件。"),  # two actions in one count
        ("2021", "制定规章、规范性文件共9件。"),  # two kinds in one count
        ("2021", "开展规范性文件清理，废止9件。"),  # the kind is not named in the clause
        ("2021", "2020年制发规范性文件9件。"),  # another year
        ("2021", "2022年计划制定规范性文件9件。"),  # a plan
        ("2021", "公开规范性文件9件。"),  # which column?
        ("2021", "全年新增公开市政府规章9件。"),  # Huaian 2024: 「新增公开」 has no 2021 column
        ("2021", "健全规章制度9件。"),  # not 规章
        ("2021", "印发党内规范性文件9件。"),
        ("2021", "制发涉及群众切身利益的规范性文件9件。"),  # a qualified subset
        ("2019", "政策、规范性文件类信息68条。"),  # Pingtan 2019: items of information, not documents
        ("2019", "现行有效规范性文件99件，废止规范性文件9件。"),  # no such columns in 2019
    ],
)
def test_n_t2_is_conservative(format_id, text):
    assert only(t2_report(format_id, text), "N-T2") == []


def test_n_t2_reads_section_one_only():
    r = t2_report("2021", "")
    r.sections["s2"] = r.sections["s6"] = "2021年，本机关制发行政规范性文件9件。"
    assert only(r, "N-T2") == []
    r.sections["s1"] = "2021年，本机关制发行政规范性文件9件。"
    assert len(only(r, "N-T2")) == 1


def test_n_t2_blank_table_cell_is_not_assessable():
    r = t2_report("2021", "2021年，本机关制发行政规范性文件3件。")
    put(r, "t2", "normative_documents", [None, 2, 15])
    (f,) = only(r, "N-T2")
    assert (f.severity, f.status, f.cells) == ("warning", "not_assessable", ("t2.normative_documents.issued",))
    assert f.message == (
        "[N-T2] 无法核对1处（一、总体情况「制发行政规范性文件3件」）：涉及的1个单元格为空白或不适用，空白不等于0。"
        "空白单元格：表二「行政规范性文件」：本年制发件数"
    )


def test_n_t2_tables_only_document_states_nothing(sample):
    """Like N-APPS, a report without narrative states no number, so there is nothing to compare."""
    sample.preamble, sample.sections, sample.section_titles = "", {}, {}
    assert only(sample, "N-T2") == []


def test_n_t4():
    r = report("2021年，因政府信息公开工作被申请行政复议3件，被提起行政诉讼案件2件。")
    found = only(r, "N-T4")
    assert [f.message for f in found] == [
        "[N-T4] 一、总体情况：文中「行政复议3件」为3件，但表四「行政复议」（总计列）为2",
        "[N-T4] 一、总体情况：文中「行政诉讼案件2件」为2件，但表四「行政诉讼 未经复议直接起诉」+「行政诉讼 复议后起诉」"
        "（总计列）之和为1",
    ]
    assert found[1].cells == ("t4.direct_suit.total", "t4.suit_after_review.total")
    assert [f.severity for f in found] == ["warning", "warning"]


def test_n_t4_ignores_review_work_that_is_not_about_disclosure():
    assert only(report("全年办理行政复议案件120件，行政诉讼案件应诉35件。"), "N-T4") == []
    assert only(report("2021年，政府信息公开行政复议和行政诉讼案件共3件。"), "N-T4") == []


@pytest.mark.parametrize(
    ("s6", "fails"),
    [
        ("无。", True),
        ("无其他需要报告的事项。", True),
        ("", True),
        ("2021年，无收取信息处理费情况。", False),
        ("本机关依据《政府信息公开信息处理费管理办法》收取信息处理费400元。", False),
        ("2023年度，县发展和改革局政府信息公开未发生收费情况。", False),  # Shuyang 2023: the fee stated in other words
    ],
)
def test_n_fee(s6, fails):
    r = report()
    r.sections["s6"] = s6
    found = only(r, "N-FEE")
    assert bool(found) == fails
    if fails:
        (f,) = found
        assert (f.severity, f.status, f.cells) == ("error", "fail", ())
        assert f.message.startswith("[N-FEE] 「六、其他需要报告的事项」未报告信息处理费收取情况")


def test_n_fee_only_for_the_2021_format():
    r = make("2019", 2020, sections={"s6": "无其他需要报告的事项。"})
    assert only(r, "N-FEE") == []


def test_n_year_fires_on_another_year_as_the_period():
    r = report(s3="2020年度，本单位共收到政府信息公开申请23件。")
    (f,) = only(r, "N-YEAR")
    assert (f.severity, f.status, f.cells) == ("warning", "fail", ())
    assert f.message == (
        "[N-YEAR] 三、收到和处理政府信息公开申请情况：「2020年度，本单位共收到政府信息公开申请23件」"
        "以2020年为叙述期间，而本报告为2021年度报告，请核实年份或内容是否沿用往年"
    )


@pytest.mark.parametrize(
    "text",
    [
        "2021年，本单位主动公开信息45条。",  # the report year
        "“余姚商务”微博自2013年开设以来拥有粉丝1246余人。",  # a historical reference
        "2022年，我局将进一步加强政策解读。",  # forward-looking
        "2020年以来，我局持续推进政务公开。",  # a period reaching into the report year
        "与2020年相比，2021年申请数量有所增加。",
    ],
)
def test_n_year_leaves_these_alone(text):
    assert only(report(text), "N-YEAR") == []


def test_n_apps_ignores_parts_introduced_by_qizhong():
    text = "2021年，全市共收到政府信息公开申请23件，其中市政府办公室收到政府信息公开申请5件。"
    assert only(report(text), "N-APPS") == []
    assert len(only(report(text.replace("23件", "22件")), "N-APPS")) == 1
