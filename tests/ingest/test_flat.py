"""Flattened tables: digit runs split by the table's identities; several fitting splits are flagged."""

from __future__ import annotations

from xxgk.formats import get_format
from xxgk.ingest import split
from xxgk.ingest.flat import rebuild
from xxgk.ingest.grid import map_rows
from xxgk.ingest.source import TextBlock


def splits(chunks, kinds):
    row = split.FlatRow("r", kinds, [(c, i * 10) for i, c in enumerate(chunks)])
    split.enumerate_splits(row)
    return sorted(tuple(p.text for p in s) for s in row.splits)


def test_enumerate_splits_respects_zeros_spaces_and_units():
    assert splits(["7000007"], ["count"] * 7) == [tuple("7000007")]
    assert splits(["230", "000023"], ["count"] * 7) == [
        ("2", "30", "0", "0", "0", "0", "23"),
        ("23", "0", "0", "0", "0", "0", "23"),
        ("230", "0", "0", "0", "0", "2", "3"),
    ]
    assert splits(["350"], ["count", "signed"]) == [("3", "50"), ("35", "0")]
    assert splits(["+2-18"], ["signed", "signed"]) == [("+2", "-18")]
    assert ("135", "75394432.52元") in splits(["13575394432.52元"], ["count", "money"])
    assert splits(["12"], ["count"] * 3) == []


def test_row_sums_pick_the_split_and_ambiguity_is_flagged():
    rows = [split.FlatRow("a", ["count"] * 7, [("230", 0), ("000023", 4)]),
            split.FlatRow("b", ["count"] * 3, [("898989", 20)])]  # fmt: skip
    out = split.solve(rows, lambda k, v: k != "a" or v[-1] == sum(v[:-1]), lambda k, v: True, None,
                      lambda r, v: sum(len(str(x)) ** 2 for x in v))  # fmt: skip
    assert [p.text for p in out["a"].pieces] == ["23", "0", "0", "0", "0", "0", "23"]
    assert out["a"].uncertain == [False] * 7 and out["a"].confidence == [0.95] * 7
    assert [p.text for p in out["b"].pieces] == ["89", "89", "89"]
    assert out["b"].uncertain == [True] * 3


def test_table_identities_resolve_what_a_row_cannot():
    fmt = get_format("2019")
    ids = [r.id for r in fmt.table("t3").rows]
    digits = {i: "0000000" for i in ids}
    digits["granted"] = "100000111"  # 10|0|0|0|0|1|11, the only split that adds up
    digits["partly_granted"] = "0100001"
    # 「101000112」 adds up as 10|1|0|0|0|1|12 and as 1|0|10|0|0|1|12: only the column sums decide
    digits["total_handled"] = "101000112"
    digits["new_received"] = "101000112"
    text = "".join(f"{r.label}{digits[r.id]}" for r in fmt.table("t3").rows)
    grids, left, doubts = rebuild([TextBlock(text, "line 1")], fmt, "t3")
    mapped = map_rows(fmt, "t3", grids)
    assert [mapped.cells[f"t3.new_received.{c.id}"].value for c in fmt.table("t3").blocks[0].columns] == [
        10,
        1,
        0,
        0,
        0,
        1,
        12,
    ]
    assert not any(p.uncertain for p in mapped.provenance.values())
    assert doubts == []


def test_typo_and_numbering_run_into_digits():
    fmt = get_format("2021")
    text = ("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件123"
            "第二十条第（五）项信息内容本年处理决定数量行政许可5第二十条第（六）项信息内容本年处理决定数量行政处罚7行政强制0"
            "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费24252.311082")  # fmt: skip
    grids, _, _ = rebuild([TextBlock(text, "line 3")], fmt, "t2")
    m = map_rows(fmt, "t2", grids)
    assert m.cells["t2.normative_documents.issued"].value == 1
    assert m.cells["t2.fees.amount"].value == split.Decimal("24252.311082")
    assert m.provenance["t2.licensing.decisions"].source == f"line 3, char {text.index('行政许可5') + 5}"


T4_HEADER = ("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计"
             "结果维持结果纠正其他结果尚未审结总计")  # fmt: skip


def t4_from_run(run: str):
    from xxgk.ingest.grid import map_wide

    fmt = get_format("2021")
    grids, left, doubts = rebuild([TextBlock(T4_HEADER + run, "line 1")], fmt, "t4")
    mapped = map_wide(fmt, "t4", grids)
    return [mapped.cells[c].value for c in fmt.cell_ids("t4")], mapped.provenance


def test_table4_as_one_run_of_digits_is_split_by_its_group_sums():
    assert t4_from_run("110024001510102")[0] == [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]
    values, prov = t4_from_run("1230015410011510102")  # two-digit cells: only one split makes every 总计 add up
    assert values == [12, 3, 0, 0, 15, 4, 10, 0, 1, 15, 1, 0, 1, 0, 2]
    assert not any(p.uncertain for p in prov.values())
    # 淮安 2024's 表四 as one run: the first two groups have one fitting split; 「1211620」 has two
    # (12|1|1|6|20 and 1|2|1|16|20): flagged, with both shown
    values, prov = t4_from_run("72641783735113481261211620")
    assert values[:10] == [72, 64, 178, 37, 351, 13, 4, 8, 1, 26] and values[14] == 20
    unsure = sorted(c for c, p in prov.items() if p.uncertain)
    assert unsure == ["t4.suit_after_review.corrected", "t4.suit_after_review.other",
                      "t4.suit_after_review.pending", "t4.suit_after_review.upheld"]  # fmt: skip
    assert "12|1|1|6|20" in prov["t4.suit_after_review.upheld"].reason
    assert "1|2|1|16|20" in prov["t4.suit_after_review.upheld"].reason
