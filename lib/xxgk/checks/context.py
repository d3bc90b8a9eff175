"""What a rule sees (the report, its format, last year's report) and helpers that build findings from labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xxgk.checks.base import FAIL, NOT_ASSESSABLE, WARNING, Finding
from xxgk.formats import TABLE_NAMES, Format
from xxgk.model import NA, SECTION_IDS, Report
from xxgk.values import canonical_text

Number = int | Decimal

#: how many rows of blank cells a not-assessable message lists before 「等」
MAX_LISTED_ROWS = 6


@dataclass
class Ctx:
    """A report under check, its format, and (for cross-year rules) the previous year's report."""

    report: Report
    previous: Report | None = None
    fmt: Format = field(init=False)

    def __post_init__(self) -> None:
        self.fmt = self.report.fmt
        self._values: dict[int, dict[str, Number | None]] = {}

    def value(self, cid: str, report: Report | None = None) -> Number | None:
        """The number in a cell (None when blank or n/a); ``report`` defaults to the one under check."""
        report = report or self.report
        values = self._values.get(id(report))
        if values is None:
            values = self._values[id(report)] = {c: report.value(c) for c in report.fmt.cell_ids()}
        return values[cid] if cid in values else report.value(cid)

    def show(self, cid: str, report: Report | None = None) -> str:
        """A cell's value as written in messages: the number, 「空白」 or 「不适用」."""
        cell = (report or self.report).cell(cid)
        if cell.is_value:
            return canonical_text(cell.value)
        return "不适用" if cell.state == NA else "空白"

    def row_label(self, cid: str) -> str:
        """The official row label of a cell: group and label (表四: 行政诉讼 未经复议直接起诉)."""
        spec = self.fmt.cell(cid)
        parts = [spec.row.group, spec.row.label]
        if spec.table.id != "t3":
            parts.insert(0, spec.row.parent)
        return " ".join(p for p in parts if p)

    def column_label(self, cid: str) -> str:
        """The official column label of a cell, with its parent header (法人或其他组织/其他)."""
        col = self.fmt.cell(cid).column
        return f"{col.group}/{col.label}" if col.group else col.label

    def term(self, cid: str, report: Report | None = None, by_column: bool = False) -> str:
        """「label(value)」 as used in the terms of an identity, labelled by row (default) or by column."""
        label = self.column_label(cid) if by_column else self.row_label(cid)
        return f"{label}({self.show(cid, report)})"

    def table_name(self, cid: str) -> str:
        """表二 / 表三 / 表四."""
        return TABLE_NAMES[self.fmt.cell(cid).table.id]


def fmt_num(value: Number) -> str:
    """A number as written in messages."""
    return canonical_text(value)


def is_integer(value: Number) -> bool:
    """True for an int or an integral Decimal."""
    return isinstance(value, int) or value == value.to_integral_value()


def has_narrative(report: Report) -> bool:
    """Whether the report carries any narrative text (interchange documents may carry tables only)."""
    return bool(report.preamble.strip()) or any(report.section_text(s).strip() for s in SECTION_IDS)


class Collector:
    """Gathers the findings of one rule: one per failing instance, one grouped not-assessable finding."""

    def __init__(self, ctx: Ctx, rule_id: str, severity: str) -> None:
        self.ctx = ctx
        self.rule = rule_id
        self.severity = severity
        self.findings: list[Finding] = []
        self._blank_instances: list[str] = []
        self._blank_cells: list[tuple[str, bool]] = []  # (cell id, in last year's report)

    def no_text(self, what: str) -> list[Finding]:
        """One not-assessable finding for a report that carries no narrative at all (a tables-only document)."""
        message = f"[{self.rule}] 本报告数据不含任何正文文字（仅有表格），无法核对{what}"
        return [Finding(self.rule, WARNING, NOT_ASSESSABLE, message, ())]

    def not_assessable(self, message: str) -> None:
        """Record that the rule cannot be assessed for a reason other than blank cells (a section without text)."""
        self.findings.append(Finding(self.rule, WARNING, NOT_ASSESSABLE, f"[{self.rule}] {message}", ()))

    def fail(self, message: str, cells: Iterable[str] = (), severity: str | None = None) -> None:
        """Record a failing instance."""
        self.findings.append(
            Finding(self.rule, severity or self.severity, FAIL, f"[{self.rule}] {message}", tuple(cells))
        )

    def blank(self, instance: str, cells: Iterable[str], previous: bool = False) -> None:
        """Record an instance that cannot be assessed because these cells are blank or n/a."""
        self._blank_instances.append(instance)
        for cid in cells:
            if (cid, previous) not in self._blank_cells:
                self._blank_cells.append((cid, previous))

    def blanks_of(self, cells: Iterable[str], report: Report | None = None) -> list[str]:
        """The cells among ``cells`` that hold no number."""
        return [c for c in cells if self.ctx.value(c, report) is None]

    def check_equal(
        self,
        instance: str,
        lhs: Sequence[str],
        rhs: Sequence[str],
        lhs_report: Report | None = None,
        rhs_report: Report | None = None,
        rhs_extra: Sequence[tuple[str, Number]] = (),
        show_zero: bool = True,
        by_column: bool = False,
    ) -> bool | None:
        """Check Σlhs = Σrhs (+ extra terms); record a failure or a blank; return the outcome (None = blank)."""
        lb = self.blanks_of(lhs, lhs_report)
        rb = self.blanks_of(rhs, rhs_report)
        if lb or rb:
            self.blank(instance, lb, previous=lhs_report is not None)
            self.blank(instance, rb, previous=rhs_report is not None)
            return None
        ls = sum(self.ctx.value(c, lhs_report) for c in lhs)
        rs = sum(self.ctx.value(c, rhs_report) for c in rhs) + sum(v for _, v in rhs_extra)
        if ls == rs:
            return True
        left = self.side(lhs, lhs_report, show_zero, by_column=by_column)
        right = self.side(rhs, rhs_report, show_zero, rhs_extra, by_column)
        self.fail(f"{instance}：{left} = {fmt_num(ls)}，不等于 {right} = {fmt_num(rs)}", [*lhs, *rhs])
        return False

    def side(
        self,
        cells: Sequence[str],
        report: Report | None,
        show_zero: bool,
        extra: Sequence[tuple[str, Number]] = (),
        by_column: bool = False,
    ) -> str:
        """One side of an identity: 「a(1) + b(2)」 (terms named by row, or by column); zeros optional."""
        show_zero = show_zero or len(cells) + len(extra) == 1  # a single term is always named
        terms = [self.ctx.term(c, report, by_column) for c in cells if show_zero or self.ctx.value(c, report) != 0]
        terms += [f"{label}({fmt_num(v)})" for label, v in extra]
        if not terms:
            return "各项均为0"
        if not show_zero and len(terms) < len(cells) + len(extra):
            terms.append("其余各项为0")
        return " + ".join(terms)

    def done(self) -> list[Finding]:
        """The findings, with the grouped not-assessable one last."""
        out = list(self.findings)
        if self._blank_instances:
            out.append(self._not_assessable())
        return out

    def _not_assessable(self) -> Finding:
        ctx = self.ctx
        instances = list(dict.fromkeys(self._blank_instances))
        rows: dict[tuple[bool, str], list[str]] = {}
        for cid, prev in self._blank_cells:
            key = (prev, f"{ctx.table_name(cid)}「{ctx.row_label(cid)}」")
            rows.setdefault(key, []).append(ctx.column_label(cid))
        listed = []
        for (prev, row), cols in list(rows.items())[:MAX_LISTED_ROWS]:
            listed.append(f"{'上年报告' if prev else ''}{row}：{'、'.join(cols)}")
        more = f"等{len(rows)}行" if len(rows) > MAX_LISTED_ROWS else ""
        n_cells = len(self._blank_cells)
        message = (
            f"[{self.rule}] 无法核对{len(instances)}处（{'；'.join(instances[:MAX_LISTED_ROWS])}"
            f"{'等' if len(instances) > MAX_LISTED_ROWS else ''}）：涉及的{n_cells}个单元格为空白或不适用，"
            f"空白不等于0。空白单元格：{'；'.join(listed)}{more}"
        )
        cells = tuple(dict.fromkeys(cid for cid, _ in self._blank_cells))
        return Finding(self.rule, WARNING, NOT_ASSESSABLE, message, cells)


# ------------------------------------------------------------------ table structure, derived from the format

#: the fixed rows of 表三 by id (labels come from the format data)
NEW, CARRIED_IN, TOTAL_HANDLED, CARRY_OUT = "new_received", "carried_over", "total_handled", "carried_forward"
#: id prefixes of the 表三 outcome groups （三）不予公开, （四）无法提供, （五）不予处理, （六）其他处理
WITHHELD, UNAVAILABLE, REJECTED, OTHER = "withheld", "unavailable", "rejected", "other"


def t3_outcome_rows(fmt: Format) -> list[str]:
    """Ids of the 表三 outcome rows （一）…（六） that add up to （七）总计."""
    fixed = {NEW, CARRIED_IN, TOTAL_HANDLED, CARRY_OUT}
    return [r.id for r in fmt.table("t3").rows if r.id not in fixed]


def t3_group_rows(fmt: Format, prefix: str) -> list[str]:
    """Ids of the 表三 rows of one outcome group, by id prefix (``other`` is one row in 2019, three in 2021)."""
    return [r.id for r in fmt.table("t3").rows if r.id == prefix or r.id.startswith(prefix + "_")]


def part_columns(fmt: Format, table_id: str) -> list[str]:
    """Ids of the columns of a single-block table that add up to its 总计 column."""
    return [c.id for c in fmt.table(table_id).blocks[0].columns if c.role != "total"]


def total_column(fmt: Format, table_id: str) -> str:
    """Id of the 总计 column of a single-block table."""
    return next(c.id for c in fmt.table(table_id).blocks[0].columns if c.role == "total")


def all_columns(fmt: Format, table_id: str) -> list[str]:
    """Ids of all columns of a single-block table."""
    return [c.id for c in fmt.table(table_id).blocks[0].columns]


def cell_id(table_id: str, row_id: str, column_id: str) -> str:
    """A cell id."""
    return f"{table_id}.{row_id}.{column_id}"
