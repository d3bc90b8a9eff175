"""``xxgk check PATH... [--json] [--allow-missing]``: check reports and print the findings; exit 1 when any report has an error."""

from __future__ import annotations

import json

from xxgk.checks.base import EXPLAINED, NOT_ASSESSABLE, summary
from xxgk.checks.engine import Checked, check_paths
from xxgk.checks.status import STATE_LABELS, STATES, gaps
from xxgk.i18n import N_, _, named, ngettext


def main(args) -> int:
    """Run ``xxgk check``: 0 without errors, 1 with an error finding (bad input raises UserError → 2)."""
    results = check_paths(args.paths, allow_missing=getattr(args, "allow_missing", False))
    if args.json:
        print(json.dumps({"reports": [c.to_dict() for c in results]}, ensure_ascii=False, indent=2))
    else:
        print(render_text(results))
    return 1 if any(f.is_error for c in results for f in c.findings) else 0


#: the finding kinds and the report states as the text report names them
KIND_NAMES = {"error": N_("error"), "warning": N_("warning"), "not assessable": N_("not assessable")}
STATE_NAMES = {"error": N_("error"), "incomplete": N_("incomplete"), "warning": N_("warning"), "clean": N_("clean")}


def render_text(results: list[Checked]) -> str:
    """The human-readable report: per report a heading line and one line per finding, then the totals."""
    lines = []
    for c in results:
        r = c.report
        prev = _("; compared with {year}").format(year=c.previous.year) if c.previous is not None else ""
        state = c.state
        lines.append(_("{path}: {name} ({id}), {year}, format {format}{compared}").format(
            path=c.path, name=r.agency.name, id=r.agency.id, year=r.year, format=r.format_id, compared=prev))
        lines.append(_("  state: {state} ({label})").format(state=named(STATE_NAMES, state), label=STATE_LABELS[state])
                     + _gaps_note(c.report))  # fmt: skip
        for f in c.findings:
            kind = "not assessable" if f.status == NOT_ASSESSABLE else f.severity
            text = f.message.removeprefix(f"[{f.rule}] ")
            if f.status == EXPLAINED:  # reviewed: shown with its reason, never counted as a warning or error
                kind_name = _("{kind}, explained").format(kind=named(KIND_NAMES, kind))
                text += _("（已说明：{reason}）").format(reason=f.reason)
            else:
                kind_name = named(KIND_NAMES, kind)
            lines.append(_("  {rule} {kind}: {text}").format(rule=f.rule, kind=kind_name, text=text))
        if not c.findings:
            lines.append(_("  no findings"))
    total = summary(f for c in results for f in c.findings)
    n = len(results)
    states = [c.state for c in results]
    per_state = _(", ").join(_("{n} {state}").format(n=states.count(s), state=named(STATE_NAMES, s)) for s in STATES)
    lines.append(ngettext(
        "{n} report checked ({states}): {errors} error(s), {warnings} warning(s), {not_assessable} not assessable",
        "{n} reports checked ({states}): {errors} error(s), {warnings} warning(s), {not_assessable} not assessable",
        n).format(n=n, states=per_state, errors=total["errors"], warnings=total["warnings"],
                  not_assessable=total["not_assessable"]))  # fmt: skip
    return "\n".join(lines)


def _gaps_note(report) -> str:
    missing = gaps(report)
    if not missing:
        return ""
    cells = sum(1 for m in missing if "." in m)
    sections = len(missing) - cells
    parts = [_("{n} blank required cell(s)").format(n=cells)] * bool(cells)
    parts += [_("{n} empty section(s)").format(n=sections)] * bool(sections)
    return _("; ") + _(", ").join(parts)
