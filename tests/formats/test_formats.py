"""The formats as data: cell ids, labels, counts, value types and the official merged layout."""

from __future__ import annotations

import pytest

from xxgk.formats import FormatError, format_for_year, get_format
from xxgk.formats.layout import HEADER, LABEL, NOTE, TITLE, VALUE, table_grid

T3_COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
T3_HEAD = [
    "new_received", "carried_over", "granted", "partly_granted",
    "withheld_state_secret", "withheld_prohibited", "withheld_security", "withheld_third_party",
    "withheld_internal", "withheld_process", "withheld_enforcement", "withheld_inquiry",
    "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
    "rejected_petition", "rejected_repeated", "rejected_publication", "rejected_excessive", "rejected_confirmation",
]  # fmt: skip


def _rows(fmt, table):
    return [r.id for r in fmt.table(table).rows]


def test_format_by_year_and_pre_2019_refused():
    assert format_for_year(2019).id == "2019"
    assert format_for_year(2020).id == "2019"
    assert format_for_year(2021).id == "2021"
    assert format_for_year(2030).id == "2021"
    with pytest.raises(FormatError, match="predates"):
        format_for_year(2018)
    with pytest.raises(FormatError, match="unknown format"):
        get_format("2017")


def test_documents():
    assert get_format("2019").document == "国办公开办函〔2019〕60号"
    assert get_format("2021").document == "国办公开办函〔2021〕30号"


def test_table3_ids_and_counts():
    f19, f21 = get_format("2019"), get_format("2021")
    assert [c.id for c in f19.table("t3").blocks[0].columns] == T3_COLUMNS
    assert _rows(f19, "t3") == [*T3_HEAD, "other", "total_handled", "carried_forward"]
    assert _rows(f21, "t3") == [
        *T3_HEAD, "other_no_correction", "other_fee_unpaid", "other_misc", "total_handled", "carried_forward"
    ]  # fmt: skip
    assert len(f19.cell_ids("t3")) == 161
    assert len(f21.cell_ids("t3")) == 175


def test_table2_ids():
    assert get_format("2021").cell_ids("t2") == [
        "t2.regulations.issued", "t2.regulations.repealed", "t2.regulations.in_force",
        "t2.normative_documents.issued", "t2.normative_documents.repealed", "t2.normative_documents.in_force",
        "t2.licensing.decisions", "t2.punishment.decisions", "t2.coercion.decisions", "t2.fees.amount",
    ]  # fmt: skip
    ids19 = get_format("2019").cell_ids("t2")
    assert len(ids19) == 22
    assert ids19[:3] == ["t2.regulations.made", "t2.regulations.published", "t2.regulations.total_published"]
    for row in ("licensing", "other_services", "punishment", "coercion"):
        assert [f"t2.{row}.prior_items", f"t2.{row}.change", f"t2.{row}.decisions"] == [
            i for i in ids19 if i.startswith(f"t2.{row}.")
        ]
    assert ids19[-4:] == ["t2.fees.prior_items", "t2.fees.change", "t2.procurement.projects", "t2.procurement.amount"]


def test_table4_ids():
    ids = get_format("2019").cell_ids("t4")
    assert ids == get_format("2021").cell_ids("t4")
    assert ids[0] == "t4.review.upheld" and ids[4] == "t4.review.total" and ids[-1] == "t4.suit_after_review.total"
    assert len(ids) == 15


def test_value_types_and_labels():
    f19, f21 = get_format("2019"), get_format("2021")
    assert f19.cell("t2.licensing.change").type == "signed"
    assert f19.cell("t2.licensing.change").column.label == "本年增/减"
    assert f19.cell("t2.procurement.amount").type == "money"
    assert f21.cell("t2.fees.amount").column.label == "本年收费金额（单位：万元）"
    assert f21.cell("t2.fees.amount").column.unit == "万元"
    assert f21.cell("t3.withheld_security.total").row.label == "3.危及\u201c三安全一稳定\u201d"
    assert f21.cell("t3.other_fee_unpaid.commercial").label_path == (
        "表三", "三、本年度办理结果", "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "法人或其他组织", "商业企业",
    )  # fmt: skip
    assert f19.cell("t2.normative_documents.made").row.label == "规范性文件"
    assert f21.cell("t2.normative_documents.issued").row.label == "行政规范性文件"
    assert [s.heading for s in f21.sections][4] == "五、存在的主要问题及改进情况"


def _cell(grid, text):
    return next(c for c in grid.cells if c.text == text)


@pytest.mark.parametrize("fid,parent_span", [("2019", 20), ("2021", 22)])
def test_table3_layout(fid, parent_span):
    g = table_grid(get_format(fid), "t3")
    assert g.n_cols == 10 and g.header_rows == 3
    note = _cell(g, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    assert (note.kind, note.row, note.col, note.rowspan, note.colspan) == (NOTE, 0, 0, 3, 3)
    assert (_cell(g, "申请人情况").colspan, _cell(g, "申请人情况").col) == (7, 3)
    assert (_cell(g, "自然人").rowspan, _cell(g, "法人或其他组织").colspan, _cell(g, "总计").rowspan) == (2, 5, 2)
    assert _cell(g, "商业企业").row == 2
    assert _cell(g, "三、本年度办理结果").rowspan == parent_span
    assert _cell(g, "（三）不予公开").rowspan == 8 and _cell(g, "（四）无法提供").rowspan == 3
    assert _cell(g, "（五）不予处理").rowspan == 5
    assert _cell(g, "一、本年新收政府信息公开申请数量").colspan == 3
    assert _cell(g, "（七）总计").colspan == 2
    if fid == "2021":
        assert _cell(g, "（六）其他处理").rowspan == 3
    else:
        assert (_cell(g, "（六）其他处理").colspan, _cell(g, "（六）其他处理").kind) == (2, LABEL)
    # every row spans the full width exactly once
    occupied = [[0] * g.n_cols for _ in range(g.n_rows)]
    for c in g.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                occupied[r][k] += 1
    assert all(v == 1 for row in occupied for v in row)


def test_table4_layout():
    g = table_grid(get_format("2021"), "t4")
    assert (_cell(g, "行政复议").colspan, _cell(g, "行政诉讼").colspan) == (5, 10)
    assert (_cell(g, "未经复议直接起诉").colspan, _cell(g, "复议后起诉").col) == (5, 10)
    assert [c.cell_id for c in g.value_cells()] == get_format("2021").cell_ids("t4")
    heads = [c for c in g.cells if c.kind == HEADER and c.text == "结果维持"]
    assert [(c.row, c.rowspan) for c in heads] == [(1, 2), (2, 1), (2, 1)]


def test_table2_layout_spans():
    g21 = table_grid(get_format("2021"), "t2")
    assert [c.text for c in g21.cells if c.kind == TITLE] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"
    ]  # fmt: skip
    assert {c.colspan for c in g21.cells if c.text == "本年处理决定数量"} == {3}
    fee = next(c for c in g21.cells if c.cell_id == "t2.fees.amount")
    assert (fee.col, fee.colspan, fee.kind) == (1, 3, VALUE)
    g19 = table_grid(get_format("2019"), "t2")
    amount = next(c for c in g19.cells if c.cell_id == "t2.procurement.amount")
    assert (amount.col, amount.colspan) == (2, 2)
    assert len(g19.value_cells()) == 22
