"""The office keys of a params file: ``review:`` (analysts' judgements on findings) and ``members:`` (the member
agencies a consolidated report sums); read with file:line problems, written back by ``params_write``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml

from xxgk.model import Report, Review
from xxgk.validate import slug_problem

MAX_FINDING = 2000  # a finding's message as a review keeps it (a quoted excerpt is at most a few hundred)

REVIEW_KEYS = ("rule", "cells", "finding", "reason", "by", "at")


def read_reviews(r, node, report: Report, fmt) -> None:
    """Parse ``review:`` (a list of {rule, cells: {cell id: value}, finding, reason, by, at}) into ``report.reviews``."""
    if not isinstance(node, yaml.SequenceNode):
        r.problem(node, "review: expected a list of reviewed findings (rule, cells, finding, reason, by, at)")
        return
    for where, item, m in r.items(node, "review", REVIEW_KEYS):
        rule = r.text(m.get("rule", (None, None))[1], f"{where}.rule", required=True)
        reason = r.text(m.get("reason", (None, None))[1], f"{where}.reason", required=True)
        if rule is None or reason is None:
            if "rule" not in m or "reason" not in m:
                r.problem(item, f"{where}: rule and reason are required")
            continue
        cells: dict = {}
        cnode = m.get("cells", (None, None))[1]
        if cnode is not None and not (isinstance(cnode, yaml.ScalarNode) and cnode.tag.endswith(":null")):
            for cid, (knode, vnode) in r.mapping(cnode, f"{where}.cells", None).items():
                if fmt is not None and not fmt.has_cell(cid):
                    r.problem(knode, f"{where}.cells: unknown cell id {cid!r}")
                    continue
                value = r.value(vnode)
                if isinstance(value, float):
                    value = Decimal(str(vnode.value))
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, Decimal))):
                    r.problem(vnode, f"{where}.cells.{cid}: expected the number judged on (or null), got {vnode.value!r}")
                    continue
                cells[cid] = value
        at_node = m.get("at", (None, None))[1]
        at = r.value(at_node) if at_node is not None else None
        if at is not None and not isinstance(at, (dt.date, dt.datetime)):
            r.problem(at_node, f"{where}.at: expected a date or time like 2022-01-20, got {at_node.value!r}")
            at = None
        by = r.text(m.get("by", (None, None))[1], f"{where}.by")
        finding = r.text(m.get("finding", (None, None))[1], f"{where}.finding", max_len=MAX_FINDING)
        report.reviews.append(Review(rule, cells, reason, by, at, finding))


def read_members(r, node, report: Report) -> None:
    """Parse ``members:`` (the agency ids a consolidated report sums) into ``report.members``."""
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(n, yaml.ScalarNode) for n in node.value):
        r.problem(node, "members: expected a list of member agency ids")
        return
    for n in node.value:
        problem = slug_problem(str(n.value))
        if problem:
            r.problem(n, f"members: {problem}")
        else:
            report.members.append(str(n.value))


def _value_yaml(value) -> str:
    return "null" if value is None else str(value)


def dump_office(report: Report, quote) -> list[str]:
    """The ``members:`` and ``review:`` lines of a params file (empty when the report has neither)."""
    out: list[str] = []
    if report.members:
        out += ["", "# 汇总报告：本报告各表为下列成员单位之和（规则 H-SUM）",
                f"members: [{', '.join(quote(m) for m in report.members)}]"]
    if report.reviews:
        out += ["", "# 已说明的校验结果：单元格数值变化后自动失效", "review:"]
        for rv in report.reviews:
            out.append(f"  - rule: {quote(rv.rule)}")
            cells = ", ".join(f"{cid}: {_value_yaml(v)}" for cid, v in rv.cells.items())
            out.append(f"    cells: {{{cells}}}")
            if rv.finding:
                out.append(f"    finding: {quote(rv.finding)}")
            out.append(f"    reason: {quote(rv.reason)}")
            if rv.by:
                out.append(f"    by: {quote(rv.by)}")
            if rv.at:
                out.append(f"    at: {rv.at.isoformat()}")
    return out


def member_files(params_dir, year: int, members: list[str]) -> list:
    """The same year's params file of every member of a consolidated report: inputs of its build and freshness."""
    from xxgk.params import params_path

    return [params_path(params_dir, year, m) for m in members]


def peek_members(path) -> list[str]:
    """The ``members:`` of a params file without loading the report (empty when absent or unreadable): what makes
    a consolidated report depend on its members' files."""
    import re
    from pathlib import Path

    from xxgk.errors import UserError
    from xxgk.params_reader import compose

    try:
        text = Path(path).read_text(encoding="utf-8")
        if not re.search(r"^members[ \t]*:", text, re.M):
            return []
        _, root = compose(text, str(path))
    except (OSError, UnicodeDecodeError, UserError):
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, node in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "members" and isinstance(node, yaml.SequenceNode):
            # ids only, as ``read_members`` accepts them (it reports the others with file:line when the report loads)
            return [str(n.value) for n in node.value if isinstance(n, yaml.ScalarNode) and not slug_problem(str(n.value))]
    return []
