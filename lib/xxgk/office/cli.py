"""The office commands of ``xxgk``: forms, collect, status, review, rollup (parsers and their entry points)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import _, named, ngettext
from xxgk.roster import load_roster, roster_path

COMMANDS = {name: f"xxgk.office.cli:{name}_main" for name in ("forms", "collect", "status", "review", "rollup")}


def add_parsers(sub, params_help: str) -> None:
    """Add the office subcommands to the ``xxgk`` subparsers (``params_help``: the shared --params help)."""
    year_help = _("report year")
    f = sub.add_parser("forms", help=_("write one pre-filled Excel form per roster agency (params/agencies.yaml)"))
    f.add_argument("--year", type=int, required=True, help=year_help)
    f.add_argument("-o", "--out", required=True, metavar="DIR", help=_("directory for the forms"))
    c = sub.add_parser("collect", help=_("read returned forms and reports into params files, logging each submission"))
    c.add_argument("folder", metavar="DIR", help=_("folder of the returned forms and reports"))
    c.add_argument("--year", type=int, required=True, help=year_help)
    c.add_argument("--force", action="store_true",
                   help=_("replace params files changed by hand since the last collect"))  # fmt: skip
    s = sub.add_parser("status", help=_("who is missing or wrong: print the board, write build/<year>/status.html"))
    s.add_argument("--year", type=int, required=True, help=year_help)
    s.add_argument("--csv", action="store_true", help=_("print the board as CSV (follow-up lists)"))
    s.add_argument("--out", default="build", metavar="DIR", help=_("build directory (default: build)"))
    s.add_argument("--today", type=dt.date.fromisoformat, help=argparse_hidden())
    r = sub.add_parser("review", help=_("record that a rule's findings in a report were examined (已说明)"))
    r.add_argument("agency", metavar="AGENCY", help=_("agency id, e.g. yuyao-commerce"))
    r.add_argument("year", metavar="YEAR", type=int, help=year_help)
    r.add_argument("rule", metavar="RULE", help=_("rule ID, e.g. T3-BAL"))
    r.add_argument("--reason", required=True, help=_("why the findings are acceptable (kept with the report)"))
    r.add_argument("--by", metavar="NAME", help=_("who examined them"))
    u = sub.add_parser("rollup", help=_("write a parent's tables as the sum of its members' (consolidated report)"))
    u.add_argument("--agency", required=True, metavar="PARENT", help=_("the parent agency id (the roster's parent)"))
    u.add_argument("--year", type=int, required=True, help=year_help)
    u.add_argument("--members", metavar="A,B,C",
                   help=_("comma-separated member agency ids (default: the roster agencies under PARENT)"))  # fmt: skip
    u.add_argument("--allow-incomplete", action="store_true",
                   help=_("consolidate despite missing or erroneous members"))  # fmt: skip
    for p in (f, c, s, r, u):
        p.add_argument("--params", default="params", metavar="DIR", help=params_help)


def argparse_hidden():
    """Hide an option from --help."""
    import argparse

    return argparse.SUPPRESS


def _roster(params_dir: str):
    path = roster_path(params_dir)
    if not path.is_file():
        raise UserError(_("{path} does not exist: the office commands need the roster of agencies "
                          "(id, name, level, parent; `xxgk demo` writes an example)").format(path=path))  # fmt: skip
    return load_roster(path)


def forms_main(args) -> int:
    """``xxgk forms``."""
    from xxgk.office.forms import write_forms

    paths = write_forms(_roster(args.params), args.year, args.out, args.params)
    print(ngettext("wrote {n} form to {out}; send it out, then `xxgk collect DIR --year {year}`",
                   "wrote {n} forms to {out}; send them out, then `xxgk collect DIR --year {year}`",
                   len(paths)).format(n=len(paths), out=args.out, year=args.year))
    return 0


def collect_main(args) -> int:
    """``xxgk collect``: exit 1 when a file was not merged (unknown, duplicate, hand-edited, unreadable)."""
    from xxgk.i18n import ljust
    from xxgk.office.collect import MERGED, OUTCOME_NAMES, UNCHANGED, collect

    result = collect(args.folder, args.year, args.params, _roster(args.params), force=args.force)
    for o in result.outcomes:
        name = named(OUTCOME_NAMES, o.outcome)
        print(f"{ljust(name, 12)} {Path(o.file).name}  {o.agency or '?'}  {o.message}")
    bad = [o for o in result.outcomes if o.outcome not in (MERGED, UNCHANGED)]
    print(_("{merged} merged, {unchanged} unchanged, {bad} not merged").format(
        merged=len(result.of(MERGED)), unchanged=len(result.of(UNCHANGED)), bad=len(bad)))
    return 1 if bad else 0


def status_main(args) -> int:
    """``xxgk status``."""
    from xxgk.office.board import board_rows, render_csv, render_text, write_board

    today = args.today or dt.date.today()
    rows = board_rows(_roster(args.params), args.year, args.params, args.out, today)
    page = write_board(rows, args.year, args.out, today)
    sys.stdout.write(render_csv(rows) if args.csv else render_text(rows))
    if not args.csv:
        print(_("board: {page}").format(page=page))
    return 0


def review_main(args) -> int:
    """``xxgk review``."""
    from xxgk.office.review import add_review

    rpath = roster_path(args.params)
    agencies = load_roster(rpath).agencies() if rpath.is_file() else None
    n = add_review(args.params, args.agency, args.year, args.rule, args.reason, args.by, agencies)
    print(ngettext("recorded {n} reviewed finding of {rule} for {agency} {year}: 已说明",
                   "recorded {n} reviewed findings of {rule} for {agency} {year}: 已说明", n).format(
        n=n, rule=args.rule, agency=args.agency, year=args.year))
    return 0


def rollup_main(args) -> int:
    """``xxgk rollup``."""
    from xxgk.office.rollup import consolidate
    from xxgk.params import params_path
    from xxgk.params_write import save_params

    members = [m.strip() for m in args.members.split(",") if m.strip()] if args.members else None
    report, problems = consolidate(_roster(args.params), args.agency, args.year, args.params, members,
                                   args.allow_incomplete)  # fmt: skip
    for p in problems:
        print(_("left out or in error: {problem}").format(problem=p), file=sys.stderr)
    path = save_params(report, params_path(args.params, args.year, args.agency))
    print(ngettext("wrote {path}: the sum of {n} member ({members})", "wrote {path}: the sum of {n} members ({members})",
                   len(report.members)).format(path=path, n=len(report.members), members=", ".join(report.members)))
    return 0
