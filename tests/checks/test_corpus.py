"""Real reports of the shared corpus: exactly the findings they deserve, and their text is really read."""

from __future__ import annotations

import pytest

from tests.checks import corpus_reports as cr
from xxgk.checks import check_report
from xxgk.model import Cell


def test_pingtan_2019_only_lacks_topics_in_its_text(corpus):
    """Its 一 never speaks of 依申请公开, and the county-level report nowhere states 社会评议 or 责任追究."""
    found = check_report(cr.pingtan_2019(corpus))
    assert [(f.rule, f.severity, f.status, f.cells) for f in found] == [("P5", "warning", "fail", ())] * 2
    assert [f.message for f in found] == [
        "[P5] 「一、总体情况」未涉及依申请公开方面的内容"
        "（格式要求总体情况主要包括主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面）",
        "[P5] 县级政府的年度报告未见社会评议、责任追究结果情况"
        "（条例第五十条第四项：各级人民政府的年度报告还应包括工作考核、社会评议和责任追究结果情况）",
    ]


def test_pingtan_2022_only_exceeds_the_length_of_section_one(corpus):
    (f,) = check_report(cr.pingtan_2022(corpus))
    assert (f.rule, f.severity, f.status, f.cells) == ("P4", "warning", "fail", ())
    assert f.message == "[P4] 「一、总体情况」有1768个汉字，超过格式规定的篇幅（原则上不超过1000字）"


def test_shuyang_2023_blank_legal_person_cells_are_not_assessable(corpus):
    r = cr.shuyang_2023(corpus)
    found = check_report(r)
    assert [(f.rule, f.severity, f.status, len(f.cells)) for f in found] == [
        ("T3-BAL", "warning", "not_assessable", 5 * 4),
        ("T3-ROWSUM", "warning", "not_assessable", 5 * 25),
        ("T3-R7", "warning", "not_assessable", 5 * 22),
    ]
    assert all(r.cell(c).state == "blank" for f in found for c in f.cells)
    assert found[0].message.startswith(
        "[T3-BAL] 无法核对5处（表三「法人或其他组织/商业企业」列；表三「法人或其他组织/科研机构」列；"
        "表三「法人或其他组织/社会公益组织」列；表三「法人或其他组织/法律服务机构」列；表三「法人或其他组织/其他」列）："
        "涉及的20个单元格为空白或不适用，空白不等于0。"
    )
    assert "等25行" in found[1].message
    # the 自然人 column is still checked: break it and T3-BAL fails as an error (its row sum stays unassessable)
    r.cells["t3.carried_forward.natural_person"] = Cell.of(1)
    errors = [f for f in check_report(r) if f.is_error]
    assert [(f.rule, f.cells[-1]) for f in errors] == [("T3-BAL", "t3.carried_forward.natural_person")]


def test_huaian_2024_exceeds_the_length_of_section_one_and_omits_the_government_items(corpus):
    pytest.importorskip("pdfplumber")
    (f, g) = check_report(cr.huaian_2024(corpus))
    assert (f.rule, f.severity, f.status) == ("P4", "warning", "fail")
    assert f.message == "[P4] 「一、总体情况」有1093个汉字，超过格式规定的篇幅（原则上不超过1000字）"
    # the prefecture's report covers the five topics but never mentions 考核, 评议 or 追究 (条例第五十条第四项)
    assert (g.rule, g.severity, g.status) == ("P5", "warning", "fail")
    assert g.message.startswith("[P5] 地市级政府的年度报告未见工作考核、社会评议、责任追究结果情况")


# the statements each report's narrative makes about its tables; changing the cell must make the rule fire
STATEMENTS = [
    ("pingtan_2022", "t3.new_received.total", "N-APPS", "收到政府信息公开申请75件"),
    ("pingtan_2022", "t4.review.total", "N-T4", "行政复议案件2件"),
    ("pingtan_2022", "t4.direct_suit.total", "N-T4", "行政诉讼案件1件"),
    ("pingtan_2022", "t2.normative_documents.issued", "N-T2", "本年度制发的规范性文件88件"),
    ("pingtan_2022", "t2.normative_documents.in_force", "N-T2", "现行有效行政规范性文件698件"),
    ("shuyang_2023", "t3.new_received.total", "N-APPS", "收到依申请信息公开26件"),
    ("huaian_2024", "t3.new_received.total", "N-APPS", "受理政府信息公开申请3119件"),
    ("huaian_2024", "t3.carried_over.total", "N-APPS", "上年度结转申请34件"),
    ("huaian_2024", "t3.total_handled.total", "N-APPS", "答复3050件"),
    ("huaian_2024", "t3.carried_forward.total", "N-APPS", "103件顺延到下年度"),
    ("huaian_2024", "t4.review.total", "N-T4", "行政复议351件"),
    ("huaian_2024", "t4.suit_after_review.total", "N-T4", "行政诉讼46件"),
]


@pytest.mark.parametrize(("name", "cell", "rule_id", "snippet"), STATEMENTS)
def test_the_narrative_of_real_reports_is_read(corpus, name, cell, rule_id, snippet):
    if name.startswith("huaian"):
        pytest.importorskip("pdfplumber")
    r = getattr(cr, name)(corpus)
    r.cells[cell] = Cell.of(r.value(cell) + 1000)
    found = [f for f in check_report(r) if f.rule == rule_id]
    assert len(found) == 1
    assert f"文中「{snippet}」" in found[0].message and cell in found[0].cells
    assert (found[0].severity, found[0].status) == ("warning", "fail")
