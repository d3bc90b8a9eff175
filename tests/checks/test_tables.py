"""Table-internal rules: for each, a passing and a failing case with the exact finding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.checks.helpers import make, only, put, t3_rows, t4_rows
from xxgk.checks import RULE_ORDER, RULES, check_report

SPEC_RULES = """T3-BAL T3-ROWSUM T3-R7 T3-NONNEG T4-GROUP T4-NONNEG T2-19-INT T2-21-INT T2-19-PUB T3-OTHER-HIGH
X-CARRY X-VALID-21 X-ITEMS-19 X-SIMILAR N-APPS N-OUTCOMES N-T2 N-T4 N-FEE N-YEAR P1 P2 P3 P4 P5 P7 P8 H-SUM""".split()


def test_every_rule_is_registered_in_order():
    assert list(RULE_ORDER) == SPEC_RULES and set(RULES) == set(SPEC_RULES)
    assert all(RULES[r].severity in ("error", "warning") for r in SPEC_RULES)


def consistent(format_id="2021"):
    """A busy but consistent report: every table rule passes."""
    t3 = t3_rows(
        format_id,
        {
            "granted": [5, 1, 0, 0, 1, 0],
            "unavailable_not_held": [3, 0, 1, 0, 0, 0],
            "rejected_repeated": [1, 0, 0, 0, 0, 0],
        },
        carried_in=[1, 0, 0, 0, 0, 0],
        carry_out=[2, 0, 0, 0, 0, 1],
    )
    return make(format_id, t3=t3, t4=t4_rows(review=(1, 1, 0, 1), direct=(0, 0, 1, 0)))


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_consistent_report_has_no_findings(format_id):
    assert check_report(consistent(format_id)) == []


def test_t3_bal_fail_message_names_labels_and_numbers():
    r = make("2021", t3=t3_rows("2021", {"granted": [2, 0, 0, 0, 0, 0]}))
    put(r, "t3", "new_received", [3, 0, 0, 0, 0, 0, 3])
    found = only(r, "T3-BAL")
    assert [(f.severity, f.status) for f in found] == [("error", "fail")] * 2
    assert found[0].message == (
        "[T3-BAL] 表三「自然人」列：一、本年新收政府信息公开申请数量(3) + 二、上年结转政府信息公开申请数量(0) = 3，"
        "不等于 （七）总计(2) + 四、结转下年度继续办理(0) = 2"
    )
    assert found[0].cells == (
        "t3.new_received.natural_person",
        "t3.carried_over.natural_person",
        "t3.total_handled.natural_person",
        "t3.carried_forward.natural_person",
    )
    assert found[1].message.startswith("[T3-BAL] 表三「总计」列：") and found[1].cells[0] == "t3.new_received.total"


def test_t3_bal_blank_is_not_zero_but_not_assessable():
    r = consistent()
    put(r, "t3", "carried_over", [1, None, 0, 0, 0, 0, 1])
    (f,) = only(r, "T3-BAL")
    assert (f.severity, f.status, f.cells) == ("warning", "not_assessable", ("t3.carried_over.commercial",))
    assert "无法核对1处（表三「法人或其他组织/商业企业」列）" in f.message
    assert (
        "空白不等于0" in f.message and "表三「二、上年结转政府信息公开申请数量」：法人或其他组织/商业企业" in f.message
    )
    # the same blank also leaves the row sum unassessable, and nothing is reported as an error
    assert [x.rule for x in check_report(r)] == ["T3-BAL", "T3-ROWSUM"]
    assert not any(x.is_error for x in check_report(r))


def test_not_applicable_is_not_assessable_too():
    r = consistent()
    put(r, "t3", "carried_forward", [2, 0, 0, 0, 0, "na", 3])
    found = only(r, "T3-BAL")
    assert [(f.status, f.severity, f.cells) for f in found] == [
        ("not_assessable", "warning", ("t3.carried_forward.other_org",))
    ]
    assert "表三「四、结转下年度继续办理」：法人或其他组织/其他" in found[0].message


def test_t3_rowsum_fail():
    r = consistent()
    put(r, "t3", "granted", [5, 1, 0, 0, 1, 0, 8])
    (f,) = only(r, "T3-ROWSUM")
    assert (f.severity, f.status) == ("error", "fail")
    assert f.message == (
        "[T3-ROWSUM] 表三「（一）予以公开」：总计(8) = 8，不等于 自然人(5) + 法人或其他组织/商业企业(1) + "
        "法人或其他组织/科研机构(0) + 法人或其他组织/社会公益组织(0) + 法人或其他组织/法律服务机构(1) + "
        "法人或其他组织/其他(0) = 7"
    )
    assert f.cells[0] == "t3.granted.total" and len(f.cells) == 7


def test_t3_r7_fail_like_pingtan_2020():
    """Pingtan 2020: the total column's outcomes add up to 27 but （七）总计 says 21, while T3-BAL holds."""
    outcomes = {
        "granted": [7, 0, 0, 0, 0, 0],
        "partly_granted": [6, 0, 0, 0, 0, 0],
        "withheld_third_party": [4, 0, 0, 0, 0, 0],
        "unavailable_not_held": [3, 0, 0, 0, 0, 0],
        "rejected_repeated": [3, 0, 0, 0, 0, 0],
        "other": [4, 0, 0, 0, 0, 0],
    }
    r = make("2019", t3=t3_rows("2019", outcomes))
    put(r, "t3", "total_handled", [27, 0, 0, 0, 0, 0, 21])
    put(r, "t3", "new_received", [27, 0, 0, 0, 0, 0, 21])
    assert only(r, "T3-BAL") == []
    (f,) = only(r, "T3-R7")
    assert (f.severity, f.status) == ("error", "fail")
    assert f.message.startswith("[T3-R7] 表三「总计」列：（七）总计(21) = 21，不等于 （一）予以公开(7) + ")
    assert "（三）不予公开 4.保护第三方合法权益(4)" in f.message and "（六）其他处理(4)" in f.message
    assert f.message.endswith("+ 其余各项为0 = 27")
    assert f.cells[0] == "t3.total_handled.total" and len(f.cells) == 1 + 19  # （一）（二）, 8 + 3 + 5 sub-rows, （六）


def test_t3_nonneg_negative_and_fraction():
    r = consistent()
    r.cells["t3.rejected_excessive.research"].value = -1
    r.cells["t3.granted.natural_person"].value = Decimal("2.5")
    found = only(r, "T3-NONNEG")
    assert [(f.cells, f.severity, f.status) for f in found] == [
        (("t3.granted.natural_person",), "error", "fail"),
        (("t3.rejected_excessive.research",), "error", "fail"),
    ]
    assert (
        found[0].message == "[T3-NONNEG] 「表三 / 三、本年度办理结果 / （一）予以公开 / 自然人」应为非负整数，实际为2.5"
    )
    assert found[1].message.endswith("4.无正当理由大量反复申请 / 法人或其他组织 / 科研机构」应为非负整数，实际为-1")
    assert only(consistent(), "T3-NONNEG") == []


def test_t4_group_pass_and_fail():
    r = consistent()
    assert only(r, "T4-GROUP") == []
    put(r, "t4", "direct_suit", [1, 0, 0, 0, 2])
    (f,) = only(r, "T4-GROUP")
    assert (f.severity, f.status, f.cells[0]) == ("error", "fail", "t4.direct_suit.total")
    assert f.message == (
        "[T4-GROUP] 表四「行政诉讼 未经复议直接起诉」：总计(2) = 2，不等于 结果维持(1) + 结果纠正(0) + 其他结果(0) + 尚未审结(0) = 1"
    )


def test_t4_nonneg():
    r = consistent()
    put(r, "t4", "review", [-1, 1, 0, 1, 1])
    (f,) = only(r, "T4-NONNEG")
    assert (f.severity, f.status, f.cells) == ("error", "fail", ("t4.review.upheld",))
    assert f.message == "[T4-NONNEG] 「表四 / 行政复议 / 结果维持」应为非负整数，实际为-1"
    assert only(r, "T4-GROUP") == []  # the negative value still takes part in the sum


def test_t2_19_types():
    r = make("2019", t2={"licensing": [3, -2, 10], "fees": [4, 1], "procurement": [2, "12.3456"]})
    assert only(r, "T2-19-INT") == []  # signed 本年增/减 may be negative; money may have decimals
    put(r, "t2", "licensing", [-3, "1.5", 10])
    put(r, "t2", "procurement", [2, "-1"])
    found = only(r, "T2-19-INT")
    assert [f.cells for f in found] == [
        ("t2.licensing.prior_items",),
        ("t2.licensing.change",),
        ("t2.procurement.amount",),
    ]
    assert (
        found[0].message
        == "[T2-19-INT] 「表二 / 第二十条第（五）项 / 行政许可 / 上一年项目数量」应为非负整数，实际为-3"
    )
    assert (
        found[1].message
        == "[T2-19-INT] 「表二 / 第二十条第（五）项 / 行政许可 / 本年增/减」应为整数（可带正负号），实际为1.5"
    )
    assert (
        found[2].message
        == "[T2-19-INT] 「表二 / 第二十条第（九）项 / 政府集中采购 / 采购总金额」应为非负金额，实际为-1"
    )
    assert all((f.severity, f.status) == ("error", "fail") for f in found)
    assert only(r, "T2-21-INT") == []


def test_t2_21_types():
    r = make("2021", t2={"fees": ["24252.311082"], "licensing": [7]})
    assert only(r, "T2-21-INT") == []
    put(r, "t2", "licensing", ["1.5"])
    put(r, "t2", "normative_documents", [1, -1, 5])
    found = only(r, "T2-21-INT")
    assert [f.cells for f in found] == [("t2.normative_documents.repealed",), ("t2.licensing.decisions",)]
    assert (
        found[1].message
        == "[T2-21-INT] 「表二 / 第二十条第（五）项 / 行政许可 / 本年处理决定数量」应为非负整数，实际为1.5"
    )


def test_t2_19_pub():
    r = make("2019", t2={"regulations": [2, 2, 5], "normative_documents": [3, 4, 4]})
    assert only(r, "T2-19-PUB") == []
    put(r, "t2", "normative_documents", [6, 5, 4])
    found = only(r, "T2-19-PUB")
    assert [(f.severity, f.status) for f in found] == [("warning", "fail")] * 2
    assert found[0].message == "[T2-19-PUB] 表二「规范性文件」：本年新公开数量(5) 大于 对外公开总数量(4)"
    assert found[0].cells == ("t2.normative_documents.published", "t2.normative_documents.total_published")
    assert found[1].message == "[T2-19-PUB] 表二「规范性文件」：本年新制作数量(6) 大于 对外公开总数量(4)"
    put(r, "t2", "regulations", [None, 1, 2])
    na = only(r, "T2-19-PUB")[-1]
    assert (na.status, na.severity, na.cells) == ("not_assessable", "warning", ("t2.regulations.made",))


@pytest.mark.parametrize(
    ("format_id", "other", "expected"),
    [
        ("2019", {"other": [2, 0, 0, 0, 0, 0]}, "（六）其他处理（总计列）合计2件，占（七）总计(10)的20.0%，超过10%"),
        (
            "2021",
            {"other_no_correction": [1, 0, 0, 0, 0, 0], "other_misc": [0, 2, 0, 0, 0, 0]},
            "合计3件，占（七）总计(11)的27.3%",
        ),
    ],
)
def test_t3_other_high_fails(format_id, other, expected):
    r = make(format_id, t3=t3_rows(format_id, {"granted": [8, 0, 0, 0, 0, 0], **other}))
    (f,) = only(r, "T3-OTHER-HIGH")
    assert (f.severity, f.status) == ("warning", "fail")
    assert expected in f.message
    assert f.cells[-1] == "t3.total_handled.total"


def test_t3_other_high_passes_at_ten_percent_and_at_zero_total():
    r = make("2019", t3=t3_rows("2019", {"granted": [9, 0, 0, 0, 0, 0], "other": [1, 0, 0, 0, 0, 0]}))
    assert only(r, "T3-OTHER-HIGH") == []
    assert only(make("2019"), "T3-OTHER-HIGH") == []
