"""A report's one honest state — error, incomplete, warning or clean — the contract shared by the index,
the overview, the manifest and ``xxgk check``. ``clean`` only when every rule was assessed and passed and
nothing the format requires is missing."""

from __future__ import annotations

from collections.abc import Iterable

from xxgk.checks.base import ERROR, FAIL, NOT_ASSESSABLE, WARNING, Finding

STATE_ERROR, STATE_INCOMPLETE, STATE_WARNING, STATE_CLEAN = "error", "incomplete", "warning", "clean"
#: Worst first: a report takes the first state that applies.
STATES = (STATE_ERROR, STATE_INCOMPLETE, STATE_WARNING, STATE_CLEAN)
STATE_LABELS = {STATE_ERROR: "有错误", STATE_INCOMPLETE: "不完整", STATE_WARNING: "有警告", STATE_CLEAN: "无问题"}


def gaps(report) -> list[str]:
    """What the format requires and the report lacks: blank cells of 表二–表四 and empty text-only sections, as IDs."""
    if report is None:
        return []
    from xxgk.formats import get_format
    from xxgk.model import BLANK

    fmt = get_format(report.format_id)
    missing = []
    for table in ("t2", "t3", "t4"):
        for cid in fmt.cell_ids(table):
            cell = report.cells.get(cid)
            if cell is None or cell.state == BLANK:
                missing.append(cid)
    for section in fmt.sections:  # a section that carries a table is never empty
        if section.table is None and not report.section_text(section.id).strip():
            missing.append(section.id)
    return missing


def report_state(findings: Iterable[Finding], report=None) -> str:
    """The state of a checked report: error, incomplete, warning or clean (see module docstring)."""
    fs = list(findings)
    if any(f.status == FAIL and f.severity == ERROR for f in fs):
        return STATE_ERROR
    if any(f.status == NOT_ASSESSABLE for f in fs) or gaps(report):
        return STATE_INCOMPLETE
    if any(f.status == FAIL and f.severity == WARNING for f in fs):
        return STATE_WARNING
    return STATE_CLEAN


#: a manifest entry keeps at most this many findings and gap ids, each message cut to SHORT characters
MAX_LISTED, SHORT = 60, 160


def short_message(finding: Finding) -> str:
    """A finding's message without its ``[RULE]`` prefix, cut to ``SHORT`` characters."""
    text = " ".join(finding.message.removeprefix(f"[{finding.rule}] ").split())
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def status_record(findings: Iterable[Finding], report=None) -> dict:
    """What the manifest and the site keep of a checked report: its state, the counts, the failed and
    not-assessable findings (rule, severity, status, short message) and what the format requires but is missing."""
    from xxgk.checks.base import EXPLAINED, summary

    everything = list(findings)
    fs = [f for f in everything if f.status in (FAIL, NOT_ASSESSABLE)]
    explained = [f for f in everything if f.status == EXPLAINED]  # reviewed by an analyst: listed, never red
    missing = gaps(report)
    listed = [*fs, *explained][:MAX_LISTED]
    return {"state": report_state(fs, report),
            "counts": {**summary(fs), "gaps": len(missing), "explained": len(explained)},
            "findings": [{"rule": f.rule, "severity": f.severity, "status": f.status,
                          "message": short_message(f) if f.status != EXPLAINED else f.reason or short_message(f)}
                         for f in listed],
            "gaps": missing[:MAX_LISTED]}  # fmt: skip
