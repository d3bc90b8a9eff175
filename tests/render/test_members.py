"""The analysis page of a consolidated report compares its members: exact figures from hand-made members."""

from __future__ import annotations

import copy

from xxgk.model import Agency, Cell
from xxgk.params_write import save_params
from xxgk.render.members import comparison_rows, members_html, top_contributors


def _member(sample, aid: str, name: str, new: int, granted: int, review: int, corrected: int):
    r = copy.deepcopy(sample)
    r.agency = Agency(aid, name, sample.agency.level, "yuyao")
    for col in ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"):
        for row in ("new_received", "granted", "total_handled"):
            r.cells[f"t3.{row}.{col}"] = Cell.of(0)
    r.cells["t3.new_received.natural_person"] = r.cells["t3.new_received.total"] = Cell.of(new)
    r.cells["t3.granted.natural_person"] = r.cells["t3.granted.total"] = Cell.of(granted)
    r.cells["t3.total_handled.natural_person"] = r.cells["t3.total_handled.total"] = Cell.of(new)
    r.cells["t4.review.total"], r.cells["t4.review.corrected"] = Cell.of(review), Cell.of(corrected)
    return r


def test_members_side_by_side_and_top_contributors(sample, tmp_path):
    a = _member(sample, "dept-a", "甲局", 30, 12, 4, 1)
    b = _member(sample, "dept-b", "乙局", 10, 10, 0, 0)
    for m in (a, b):
        save_params(m, tmp_path / "2020" / f"{m.agency.id}.yaml")
    parent = _member(sample, "yuyao", "某县人民政府", 40, 22, 4, 1)
    parent.members = ["dept-a", "dept-b", "dept-gone"]
    assert comparison_rows([b, a]) == [
        ["甲局", "30", "12", "40.0%", "4", "1", "25.0%"],
        ["乙局", "10", "10", "100.0%", "0", "0", "—"],
    ]
    assert dict(top_contributors(parent, [a, b]))["一、本年新收政府信息公开申请数量"] == "甲局 30（75.0%）、乙局 10（25.0%）"
    from xxgk.model import Cell

    for m, v in ((a, 2), (b, 1), (parent, 3)):
        m.cells["t3.withheld_internal.total"] = Cell.of(v)
    # a sub-item is named with its group: 「5.属于三类内部事务信息」 alone could be any group's fifth item
    assert dict(top_contributors(parent, [a, b]))["（三）不予公开 5.属于三类内部事务信息"] == "甲局 2（66.7%）、乙局 1（33.3%）"
    page = members_html(parent, tmp_path)
    assert "四、成员单位对比（汇总 3 家）" in page and "<td>甲局</td><td>30</td><td>12</td><td>40.0%</td>" in page
    assert "未找到或无法读取的成员单位参数文件：dept-gone" in page
    assert members_html(a, tmp_path) == ""  # not consolidated: nothing
