"""``xxgk rollup --agency PARENT --year Y``: the consolidated report's tables as the sum of its members', cell by
cell (blank only where every member is blank), each cell's contributors in its provenance; narrative kept."""

from __future__ import annotations

from pathlib import Path

from xxgk.checks import check_report
from xxgk.checks.consolidation import cell_sum, show, summed_cells
from xxgk.errors import UserError
from xxgk.formats import format_for_year
from xxgk.i18n import _
from xxgk.model import Cell, Provenance, Report
from xxgk.params import load_params, params_path
from xxgk.roster import Roster


def member_ids(roster: Roster, parent: str, members: list[str] | None = None) -> list[str]:
    """The members of a consolidation: given explicitly, else the roster agencies whose parent is ``parent``."""
    if parent not in roster:
        raise UserError(_("--agency: {parent!r} is not in the roster {file}").format(parent=parent, file=roster.file))
    ids = list(members) if members else [m.id for m in roster.children(parent)]
    unknown = [i for i in ids if i not in roster]
    if unknown:
        raise UserError(_("--members: not in the roster {file}: {unknown}").format(file=roster.file, unknown=', '.join(unknown)))
    if not ids:
        raise UserError(_("{parent} has no members in the roster {file} (no agency names it as parent); list them with --members a,b,c").format(parent=parent, file=roster.file))  # fmt: skip
    if parent in ids:
        raise UserError(_("{parent} cannot be a member of its own consolidation").format(parent=parent))
    return ids


def consolidate(roster: Roster, parent: str, year: int, params_dir: str | Path, members: list[str] | None = None,
                allow_incomplete: bool = False) -> tuple[Report, list[str]]:  # fmt: skip
    """The parent's report with summed tables, and the problems of members left out or in error."""
    agencies = roster.agencies()
    loaded: dict[str, Report] = {}
    problems: list[str] = []
    for mid in member_ids(roster, parent, members):
        path = params_path(params_dir, year, mid)
        if not path.is_file():
            problems.append(_("{mid}（{name}）: not submitted ({path} does not exist)").format(mid=mid, name=roster[mid].name, path=path))
            continue
        report = load_params(path, agencies)
        errors = [f.rule for f in check_report(report, params_dir=params_dir) if f.is_error]
        if errors:
            problems.append(_("{mid}（{name}）: has errors ({rules})").format(mid=mid, name=roster[mid].name, rules=', '.join(dict.fromkeys(errors))))
        loaded[mid] = report
    if problems and not allow_incomplete:
        raise UserError(_("cannot consolidate {parent}:").format(parent=parent) + "\n  " + "\n  ".join(problems)
                        + "\n" + _("(fix them, or consolidate what there is with --allow-incomplete)"))  # fmt: skip
    target = params_path(params_dir, year, parent)
    if target.is_file():  # the narrative, dates and reviews stay the author's
        report = load_params(target, agencies)
    else:
        report = Report(roster[parent].agency(), year, format_for_year(year).id)
        report.complete_cells()
    fmt = report.fmt
    report.agency = roster[parent].agency()
    report.members = list(loaded)
    for cid in summed_cells(fmt):
        vals = [(mid, m.value(cid) if m.fmt.has_cell(cid) else None) for mid, m in loaded.items()]
        total = cell_sum(v for _, v in vals)
        report.cells[cid] = Cell.blank() if total is None else Cell.of(total)
        contributors = [f"{mid} {show(v)}" for mid, v in vals if v is not None]
        if contributors:
            report.provenance[cid] = Provenance("汇总：" + "＋".join(contributors))
        else:
            report.provenance.pop(cid, None)
    return report, problems
