"""The table identities over cells read by OCR: a low-confidence reading that an identity confirms (every
other cell of it read with confidence) is kept as sure; every cell of an identity that fails is flagged."""

from __future__ import annotations

from xxgk.formats.schema import Format
from xxgk.i18n import _
from xxgk.model import Report

_OCR_DOUBT = "OCR confidence"


def identities(fmt: Format) -> list[tuple[list[str], list[str]]]:
    """Each identity as (cells summed on the left, cells summed on the right)."""
    out: list[tuple[list[str], list[str]]] = []
    for t in fmt.tables:
        if t.id not in ("t3", "t4"):
            continue
        for row in t.rows:
            ids = [c for c in fmt.cell_ids(t.id) if c.split(".")[1] == row.id]
            totals = [c for c in ids if fmt.cell(c).column.role == "total"]
            for tot in totals:
                group = fmt.cell(tot).column.group
                parts = [c for c in ids if c not in totals and (fmt.cell(c).column.group or None) == (group or None)]
                if t.id == "t3":  # 总计 of the applicants' table: every applicant column
                    parts = [c for c in ids if c not in totals]
                elif len(totals) > 1:  # 表四: the group of four results before each 总计
                    k = ids.index(tot)
                    parts = ids[max(0, k - 4) : k]
                out.append((parts, [tot]))
    if any(t.id == "t3" for t in fmt.tables):
        rows = fmt.table("t3").rows
        outcome = [r.id for r in rows if r.parent and r.role != "total"]
        total = next((r.id for r in rows if r.role == "total"), None)
        if total:
            for col in [c.split(".")[2] for c in fmt.cell_ids("t3") if c.split(".")[1] == total]:
                out.append(([f"t3.{r}.{col}" for r in outcome], [f"t3.{total}.{col}"]))
                first, second, last = rows[0].id, rows[1].id, rows[-1].id
                out.append(([f"t3.{first}.{col}", f"t3.{second}.{col}"], [f"t3.{total}.{col}", f"t3.{last}.{col}"]))
    return out


def confirm(report: Report, fmt: Format) -> list[str]:
    """Confirm or flag the OCR-read cells of 表三/表四 by the identities; return doubts for the report."""
    ids = identities(fmt)
    val = {}
    for cid, cell in report.cells.items():
        val[cid] = cell.value if cell.is_value else None
    holding, failing = [], []
    for left, right in ids:
        cells = [*left, *right]
        if any(c not in val or val[c] is None for c in cells):
            continue
        (holding if sum(val[c] for c in left) == sum(val[c] for c in right) else failing).append(cells)
    flagged = set()
    for cells in failing:
        for c in cells:
            p = report.provenance.get(c)
            if p is None or not p.source:
                continue
            p.uncertain, p.confidence = True, min(p.confidence, 0.5)
            if c not in flagged:
                note = "a table identity fails on the OCR reading (总计 ≠ the sum of its parts)"
                p.reason = f"{p.reason}; {note}" if p.reason else note
            flagged.add(c)
    confirmed = 0
    changed = True
    while changed:
        changed = False
        for cells in holding:
            doubtful = [c for c in cells if report.provenance[c].uncertain]
            if len(doubtful) != 1 or doubtful[0] in flagged:
                continue
            p = report.provenance[doubtful[0]]
            if not (p.reason or "").startswith(_OCR_DOUBT) or ";" in p.reason:
                continue
            p.uncertain = False
            p.reason = f"{p.reason}, confirmed by a table identity"
            confirmed += 1
            changed = True
    doubts = []
    if flagged:
        doubts.append(_("{n} table identities fail on the OCR reading; their {n2} cells are flagged").format(n=len(failing), n2=len(flagged)))
    return doubts
