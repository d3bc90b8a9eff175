"""Real-world table variants: annotated and misspelt labels, subtotal rows, the other format's （六） rows,
header and data rows with different column spans, blank tokens, notes in cells."""

from __future__ import annotations

from decimal import Decimal

from tests.ingest.util import rows
from xxgk.formats import get_format
from xxgk.ingest import labels
from xxgk.ingest.html import parse_html
from xxgk.ingest.pipeline import ingest_doc


def test_label_matching_tolerates_typos_annotations_and_variants():
    hubei = "规范性文件（行政机关制定发布的决定、公告、通告、意见、通知，以及标题采用“规定”“办法”等字样的公文）"
    assert labels.score(hubei, "规范性文件") >= 0.9
    assert labels.score("2.其他法律行政止公开", "2.其他法律行政法规禁止公开") >= labels.THRESHOLD
    assert labels.score("一、本年新收到政府信息公开申请数量", "一、本年新收政府信息公开申请数量") >= 0.9
    assert labels.score("四、转结下年度继续办理", "四、结转下年度继续办理") >= 0.9
    assert (
        labels.score(
            "（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        )
        == 1.0
    )
    assert labels.score("3、其它", "3.其他") == 1.0
    assert labels.score("行政许可", "行政处罚") == 0.0
    assert labels.score("其他", "2.其他法律行政法规禁止公开") == 0.0


def tr(*cells):
    out = []
    for c in cells:
        if isinstance(c, tuple):
            text, attrs = c
            out.append(f"<td {attrs}>{text}</td>")
        else:
            out.append(f"<td>{c}</td>")
    return "<tr>" + "".join(out) + "</tr>"


def page(year: int, t2: list[str], t3: list[str], t4: list[str]) -> str:
    return "\n".join([
        f"<html><body><h1>示例县测试局{year}年政府信息公开工作年度报告</h1>",
        "<p>一、总体情况</p><p>正文。</p><p>二、主动公开政府信息情况</p>", "<table>", *t2, "</table>",
        "<p>三、收到和处理政府信息公开申请情况</p>", "<table>", *t3, "</table>",
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>", "<table>", *t4, "</table>",
        "<p>五、存在的主要问题及改进情况</p><p>问题。</p><p>六、其他需要报告的事项</p><p>无。</p>",
        "<p>示例县测试局</p><p>2024年1月15日</p></body></html>",
    ])  # fmt: skip


T4 = [tr(("行政复议", 'colspan="5"'), ("行政诉讼", 'colspan="10"')), tr(*["0"] * 15)]
HEAD3 = [tr(("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 'colspan="3" rowspan="3"'), ("申请人情况", 'colspan="7"')),
         tr(("自然人", 'rowspan="2"'), ("法人或其他组织", 'colspan="5"'), ("总计", 'rowspan="2"')),
         tr("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]  # fmt: skip


def t3_body(fmt_id: str, six: list[tuple[str, list]]) -> list[str]:
    fmt = get_format(fmt_id)
    out = []
    for r in fmt.table("t3").rows:
        if r.group and "其他处理" in r.group or r.label == "（六）其他处理":
            continue
        label = {"一、本年新收政府信息公开申请数量": "一、本年新收到政府信息公开申请数量",
                 "2.其他法律行政法规禁止公开": "2.其他法律行政止公开"}.get(r.label, r.label)  # fmt: skip
        values = (
            ["2", "/", "—", "", "0", "0", "2"] if r.id in ("new_received", "granted", "total_handled") else ["0"] * 7
        )
        out.append(tr(label, *values))
        if r.label == "8.属于行政查询事项":
            out.append(tr("（三）不予公开", *["0"] * 7))  # a subtotal row the format does not have
        if r.label == "5.要求行政机关确认或重新出具已获取信息":
            out += [tr(lab, *vals) for lab, vals in six]
    return out


def test_2021_report_with_2019_style_rows_and_annotations():
    t2 = [tr(("第二十条第（一）项", 'colspan="4"')), tr("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
          tr("规章", "0", "0", "0"),
          tr("规范性文件（行政机关制定发布的决定、公告、通告、意见、通知）", "22（其中修订16件）", "/", "30"),
          tr(("第二十条第（五）项", 'colspan="4"')), tr("信息内容", ("本年处理决定数量", 'colspan="3"')),
          tr("行政许可", "5", "", ""),  # the value under a spanning header, two empty cells after it
          tr(("第二十条第（六）项", 'colspan="4"')), tr("信息内容", ("本年处理决定数量", 'colspan="3"')),
          tr("行政处罚", ("7", 'colspan="3"')), tr("行政强制", ("—", 'colspan="3"')),
          tr(("第二十条第（八）项", 'colspan="4"')), tr("信息内容", ("本年收费金额（单位：万元）", 'colspan="3"')),
          tr("行政事业性收费", ("24252.311082", 'colspan="3"'))]  # fmt: skip
    six = [("（六）其他处理", ["1", "0", "0", "0", "0", "0", "1"])]
    doc = parse_html(page(2023, t2, HEAD3 + t3_body("2021", six), T4), "messy.html")
    got = ingest_doc(doc)
    r = got.report
    assert r.format_id == "2021"
    assert rows(r, "t2") == {"regulations": [0, 0, 0], "normative_documents": [22, None, 30], "licensing": [5],
                             "punishment": [7], "coercion": [None], "fees": [Decimal("24252.311082")]}  # fmt: skip
    c = r.cells["t2.normative_documents.issued"]
    assert (c.raw, c.note) == ("22（其中修订16件）", "其中修订16件")
    assert r.cells["t2.normative_documents.repealed"].raw == "/"
    t3 = rows(r, "t3")
    assert t3["new_received"] == [2, None, None, None, 0, 0, 2]
    assert t3["withheld_prohibited"] == [0] * 7
    assert t3["other_misc"] == [1, 0, 0, 0, 0, 0, 1]
    assert t3["other_no_correction"] == [None] * 7 and t3["other_fee_unpaid"] == [None] * 7
    p = r.provenance["t3.other_misc.total"]
    assert p.uncertain and "single 「（六）其他处理」 row" in p.reason
    assert r.provenance["t3.other_no_correction.total"].uncertain
    assert not r.provenance["t3.withheld_inquiry.total"].uncertain
    assert any("subtotal row 「（三）不予公开」" in d for d in got.doubts)
    unc = {cid.split(".")[1] for cid in got.uncertain_cells}
    assert unc == {"other_misc", "other_no_correction", "other_fee_unpaid"}


def test_2019_report_with_different_spans_and_2021_style_rows():
    items = [
        ("第二十条第（五）项", ["行政许可", "其他对外管理服务事项"], 3),
        ("第二十条第（六）项", ["行政处罚", "行政强制"], 3),
    ]
    t2 = [tr(("第二十条第（一）项", 'colspan="4"')), tr("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
          tr("规章", "1", "1", "9"), tr("规范性文件", "3", "3", "40")]  # fmt: skip
    for title, names, _ in items:
        t2 += [tr((title, 'colspan="4"')), tr("信息内容", "上一年项目数量", "本年增/减", "处理决定数量")]
        t2 += [tr(n, "10", "-2", "100") for n in names]
    t2 += [tr(("第二十条第（八）项", 'colspan="4"')), tr("信息内容", "上一年项目数量", ("本年增/减", 'colspan="2"')),
           tr("行政事业性收费", ("3", 'colspan="2"'), "+1"),
           tr(("第二十条第（九）项", 'colspan="4"')), tr("信息内容", ("采购项目数量", 'colspan="2"'), "采购总金额"),
           tr("政府集中采购", "135", ("75394432.52元", 'colspan="2"'))]  # fmt: skip
    six = [("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ["1", "0", "0", "0", "0", "0", "1"]),
           ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ["0"] * 7),
           ("3.其他", ["2", "0", "0", "0", "0", "1", "3"])]  # fmt: skip
    got = ingest_doc(parse_html(page(2020, t2, HEAD3 + t3_body("2019", six), T4), "messy2019.html"))
    r = got.report
    assert r.format_id == "2019"
    t2v = rows(r, "t2")
    assert t2v["licensing"] == [10, -2, 100] and t2v["fees"] == [3, 1]
    assert t2v["procurement"] == [135, Decimal("7539.443252")]
    assert r.cells["t2.procurement.amount"].raw == "75394432.52元"
    assert rows(r, "t3")["other"] == [3, 0, 0, 0, 0, 1, 4]
    assert "sum of 3 2021-style" in r.provenance["t3.other.total"].reason
    assert got.uncertain_cells == []
