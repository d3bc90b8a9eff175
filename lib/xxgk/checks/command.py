"""``xxgk check PATH... [--json]``: check reports and print the findings; exit 1 when any report has an error."""

from __future__ import annotations

import json

from xxgk.checks.base import NOT_ASSESSABLE, summary
from xxgk.checks.engine import Checked, check_paths


def main(args) -> int:
    """Run ``xxgk check``: 0 without errors, 1 with an error finding (bad input raises UserError → 2)."""
    results = check_paths(args.paths)
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
        lines.append(f"{c.path}: {r.agency.name} ({r.agency.id}), {r.year}, format {r.format_id}{prev}")
        for f in c.findings:
            kind = "not assessable" if f.status == NOT_ASSESSABLE else f.severity
            text = f.message.removeprefix(f"[{f.rule}] ")
            lines.append(f"  {f.rule} {kind}: {text}")
        if not c.findings:
            lines.append("  no findings")
    total = summary(f for c in results for f in c.findings)
    n = len(results)
    lines.append(
        f"{n} report{'s' if n != 1 else ''} checked: {total['errors']} error(s), {total['warnings']} warning(s), "
        f"{total['not_assessable']} not assessable"
    )
    return "\n".join(lines)
