"""``xxgk check PATH... [--json] [--allow-missing]``: check reports and print the findings; exit 1 when any report has an error."""

from __future__ import annotations

import json

from xxgk.checks.base import NOT_ASSESSABLE, summary
from xxgk.checks.engine import Checked, check_paths
from xxgk.checks.status import STATE_LABELS, STATES, gaps
from xxgk.i18n import _


def main(args) -> int:
    """Run ``xxgk check``: 0 without errors, 1 with an error finding (bad input raises UserError → 2)."""
    results = check_paths(args.paths, allow_missing=getattr(args, "allow_missing", False))
    if args.json:
        print(json.dumps({"reports": [c.to_dict() for c in results]}, ensure_ascii=False, indent=2))
    else:
        print(render_text(results))
    return 1 if any(f.is_error for c in results for f in c.findings) else 0


def render_text(results: list[Checked]) -> str:
    """The human-readable report: per report a heading line and one line per finding, then the totals."""
    lines = []
    for c in results:
        r = c.report
        prev = f"; compared with {c.previous.year}" if c.previous is not None else ""
        state = c.state
        lines.append(_("{path}: {name} ({id}), {year}, format {format_id}{prev}").format(path=c.path, name=r.agency.name, id=r.agency.id, year=r.year, format_id=r.format_id, prev=prev))
        lines.append(f"  state: {state} ({STATE_LABELS[state]})" + _gaps_note(c.report))
        for f in c.findings:
            kind = "not assessable" if f.status == NOT_ASSESSABLE else f.severity
            text = f.message.removeprefix(f"[{f.rule}] ")
            lines.append(f"  {f.rule} {kind}: {text}")
        if not c.findings:
            lines.append(_("  no findings"))
    total = summary(f for c in results for f in c.findings)
    n = len(results)
    states = [c.state for c in results]
    per_state = ", ".join(f"{states.count(s)} {s}" for s in STATES)
    lines.append(
        _("{n} report{value} checked ({per_state}): {errors} error(s), {warnings} warning(s), {not_assessable} not assessable").format(n=n, value='s' if n != 1 else '', per_state=per_state, errors=total['errors'], warnings=total['warnings'], not_assessable=total['not_assessable'])
    )
    return "\n".join(lines)


def _gaps_note(report) -> str:
    missing = gaps(report)
    if not missing:
        return ""
    cells = sum(1 for m in missing if "." in m)
    sections = len(missing) - cells
    parts = [f"{cells} blank required cell(s)"] * bool(cells) + [f"{sections} empty section(s)"] * bool(sections)
    return "; " + ", ".join(parts)
