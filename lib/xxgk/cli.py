"""The ``xxgk`` command line: argument parsing and dispatch; each command's work lives in the library."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import math
import os
import sys

from xxgk import __version__, i18n
from xxgk.errors import UserError
from xxgk.i18n import N_, _
from xxgk.limits import MAX_JOBS
from xxgk.office import cli as office_cli

# command → "module:function"; the function takes the parsed arguments and returns the exit code
COMMANDS = {
    "check": "xxgk.checks.command:main",
    "export": "xxgk.export:main",
    "build": "xxgk.batch.command:main",
    "doctor": "xxgk.batch.doctor:main",
    "ingest": "xxgk.ingest.command:main",
    "form": "xxgk.render.excel:main",
    "new": "xxgk.newyear:main",
    "demo": "xxgk.demo:main",
    **office_cli.COMMANDS,
    "init": "xxgk.workspace:main",
    "list": "xxgk.everyday:list_main",
    "open": "xxgk.everyday:open_main",
    "schema": "xxgk.schemas:main",
}


#: help texts shared by several options (translated where the parser is built)
LANG_HELP = N_("interface language: zh (Chinese) or en (English); default: xxgk.toml, then the locale")
PARAMS_HELP = N_("params directory (default: params)")
OUT_HELP = N_("output directory (default: build)")
ALLOW_MISSING_HELP = N_("interchange JSON: read cells missing from 'cells' as blank (reported) instead of refusing")


def seconds(text: str) -> float:
    """An argparse type: a finite, positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            _("expected a finite, positive number of seconds, got {text!r}").format(text=text))
    return value


def year_range() -> tuple[int, int]:
    """The report years the national formats cover that can exist: 2019 to next year."""
    from xxgk.formats import FIRST_YEAR

    return FIRST_YEAR, dt.date.today().year + 1


def report_year(text: str) -> int:
    """An argparse type: a report year the national formats cover."""
    first, last = year_range()
    s = str(text).strip()
    if not (s.isascii() and s.isdigit() and len(s) <= 4 and first <= int(s) <= last):
        raise argparse.ArgumentTypeError(_("expected a report year from {first} to {last}, got {text!r}").format(
            first=first, last=last, text=text))
    return int(s)


def year_glob(text: str) -> str:
    """An argparse type: a report year (checked like ``report_year``) or a glob such as ``202?``."""
    if not set("*?[") & set(text):
        report_year(text)
    return text




def _year(text: str) -> int:
    """argparse type: a report year the formats cover."""
    from xxgk.validate import year_problem

    try:
        year = int(text) if len(text) <= 4000 else text
    except ValueError:
        year = text
    problem = year_problem(year)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return year


def _slug(text: str) -> str:
    """argparse type: an agency id slug (never a path)."""
    from xxgk.validate import slug_problem

    problem = slug_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _bounded(low: int, high: int):
    """argparse type: a whole number in ``low..high``."""

    def parse(text: str) -> int:
        try:
            n = int(text) if len(text) < 20 else None
        except ValueError:
            n = None
        if n is None or not low <= n <= high:
            raise argparse.ArgumentTypeError(_("expected a whole number {low}–{high}, got {text!r}").format(
                low=low, high=high, text=text[:40]))
        return n

    return parse


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xxgk",
        formatter_class=i18n.HelpFormatter,
        description=_("Government information-disclosure annual reports (政府信息公开工作年度报告): "
                      "check, build, ingest and exchange them."),
    )  # fmt: skip
    # argparse's own default help of --version is not looked up through gettext: give it
    p.add_argument("--version", action="version", version=f"xxgk {__version__}",
                   help=_("show program's version number and exit"))
    p.add_argument("--lang", choices=i18n.LANGUAGES, help=_(LANG_HELP))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", title=_("commands"),
                           help=_("xxgk COMMAND --help shows the options of a command"))

    c = sub.add_parser("check", help=_("check reports (params YAML or interchange JSON; files or directories)"))
    c.add_argument("paths", nargs="*", metavar="PATH", default=["params"],
                   help=_("params files, interchange JSON or directories (default: the params directory)"))  # fmt: skip
    c.add_argument("--json", action="store_true", help=_("print the findings as JSON"))
    c.add_argument("--allow-missing", action="store_true",
                   help=_(ALLOW_MISSING_HELP))

    e = sub.add_parser("export", help=_("export a report as interchange JSON or as long-format CSV"))
    e.add_argument("path", metavar="PARAMS", help=_("the params file (or interchange JSON) to export"))
    g = e.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help=_("interchange JSON xxgk.report/1 (the default)"))
    g.add_argument("--csv", action="store_true", help=_("one line per cell: cell id, label path, value, blank"))
    e.add_argument("--allow-missing", action="store_true",
                   help=_(ALLOW_MISSING_HELP))

    b = sub.add_parser("build", help=_("build reports (HTML, PDF, DOCX) from params files"))
    b.add_argument("--agency", default="*", help=_("agency id or glob (default: all)"))
    b.add_argument("--year", default="*", type=year_glob, help=_("report year or glob (default: all)"))
    b.add_argument("--jobs", type=_bounded(1, MAX_JOBS), default=os.cpu_count() or 1,
                   help=_("parallel workers (default: the number of cores)"))  # fmt: skip
    b.add_argument("--formats", default="html,pdf", help=_("comma-separated: html,pdf,docx (default: html,pdf)"))
    b.add_argument("--force", action="store_true", help=_("rebuild even when outputs are up to date"))
    b.add_argument("--fail-fast", action="store_true", help=_("stop at the first failed report"))
    b.add_argument("--params", default="params", metavar="DIR", help=_(PARAMS_HELP))
    b.add_argument("--out", default="build", metavar="DIR", help=_(OUT_HELP))
    b.add_argument("--notebook", metavar="FILE", help=_("template notebook (default: notebooks/report.ipynb)"))
    b.add_argument("--executor", choices=("local", "dask"), default="local",
                   help=_("where reports run: local = worker processes on this machine, dask = a Dask cluster "
                          "(default: local)"))  # fmt: skip
    b.add_argument("--scheduler", metavar="ADDRESS", help=_("Dask scheduler address (with --executor dask)"))
    b.add_argument("--timeout", type=seconds, default=600.0,
                   help=_("time limit per report, in seconds (default: 600)"))  # fmt: skip
    b.add_argument("--quiet", action="store_true", help=_("no live progress; one line per finished report"))
    b.add_argument("--no-site", action="store_true", help=_("skip the index page, overviews and open data"))
    b.add_argument("--prune", action="store_true",
                   help=_("remove the outputs and manifest entries of reports whose params file no longer exists"))  # fmt: skip

    sub.add_parser("doctor", help=_("check packages, the CJK font and the browser; say how to fix what is missing"))

    i = sub.add_parser("ingest", help=_("read published reports (PDF, HTML, DOCX, XLSX form, text) into params files"))
    i.add_argument("files", nargs="+", metavar="FILE",
                   help=_("published reports: PDF, HTML, MHT, DOCX, DOC, WPS, RTF, ODT, XLSX form, text or images"))  # fmt: skip
    i.add_argument("-o", "--out", default="params", metavar="DIR",
                   help=_("params directory to write to (default: params)"))  # fmt: skip
    i.add_argument("--json", action="store_true", help=_("print interchange JSON instead of writing params files"))
    i.add_argument("--year", type=_year, help=_("report year, when the document does not say"))
    i.add_argument("--agency-id", type=_slug, help=_("agency id (default: derived from the agency name)"))
    i.add_argument("--force", action="store_true", help=_("overwrite existing params files"))
    i.add_argument("--ocr", choices=("auto", "never", "always"), default="auto",
                   help=_("OCR scanned PDFs and images: auto = when a PDF has no text layer, and always for "
                          "images (default: auto)"))  # fmt: skip

    f = sub.add_parser("form", help=_("write an Excel data-entry form in the official layout"))
    f.add_argument("--year", type=_year, required=True, help=_("report year; it decides the official format"))
    f.add_argument("--agency", type=_slug, help=_("pre-fill from this agency's params file (default: a blank form)"))
    f.add_argument("--params", default="params", metavar="DIR", help=_(PARAMS_HELP))
    f.add_argument("-o", "--out", default="form.xlsx", metavar="FILE",
                   help=_("the form file to write (default: form.xlsx)"))  # fmt: skip

    n = sub.add_parser("new", help=_("start next year's params file from last year's"))
    n.add_argument("--agency", type=_slug, required=True, help=_("agency id, e.g. yuyao-commerce"))
    n.add_argument("--year", type=_year, required=True,
                   help=_("the new report year; the params file of the year before must exist"))  # fmt: skip
    n.add_argument("--params", default="params", metavar="DIR", help=_(PARAMS_HELP))

    d = sub.add_parser("demo", help=_("write synthetic, consistent params files (agency names marked 示例)"))
    d.add_argument("--agencies", type=_bounded(1, 10_000), default=30,
                   help=_("number of demo agencies, 1 to 10000, the county government demo-gov included "
                          "(default: 30 = the government, 20 departments, 9 towns)"))  # fmt: skip
    d.add_argument("--years", default="2019-2024", help=_("a year or a range of years (default: 2019-2024)"))
    d.add_argument("--out", default="demo-params", metavar="DIR",
                   help=_("directory for the params files and the roster agencies.yaml (default: demo-params)"))  # fmt: skip
    d.add_argument("--seed", type=_bounded(0, 2**32 - 1), default=1,
                   help=_("random seed; the same seed gives the same files (default: 1)"))  # fmt: skip
    d.add_argument("--force", action="store_true",
                   help=_("overwrite an existing roster and params files changed by hand"))  # fmt: skip

    office_cli.add_parsers(sub, _(PARAMS_HELP))  # forms, collect, status, review, rollup
    _add_reach_commands(sub)
    sub.add_parser("schema", help=_("print the JSON Schema of the interchange document xxgk.report/1"))
    _finish_subcommands(sub)
    return p



def _add_reach_commands(sub) -> None:
    w = sub.add_parser("init", help=_("create a workspace: params/, xxgk.toml, .gitignore, 使用说明.md"))
    w.add_argument("directory", metavar="DIR", nargs="?", default=".",
                   help=_("workspace folder (default: the current folder)"))  # fmt: skip
    w.add_argument("--sample", action="store_true", help=_("add the sample params/2020/yuyao-commerce.yaml"))

    ls = sub.add_parser("list", help=_("list the reports found, with year, agency and checker status"))
    ls.add_argument("--params", default="params", metavar="DIR", help=_(PARAMS_HELP))
    ls.add_argument("--out", default="build", metavar="DIR", help=_(OUT_HELP))
    ls.add_argument("--json", action="store_true", help=_("print the list as JSON"))

    o = sub.add_parser("open", help=_("open a report in JupyterLab on a scratch copy of the template"))
    o.add_argument("agency", metavar="AGENCY", help=_("agency id, e.g. yuyao-commerce"))
    o.add_argument("year", metavar="YEAR", type=int, help=_("report year, e.g. 2020"))
    o.add_argument("--params", default="params", metavar="DIR", help=_(PARAMS_HELP))
    o.add_argument("--out", default="build", metavar="DIR",
                   help=_("output directory; the copy goes to DIR/scratch/ (default: build)"))  # fmt: skip
    o.add_argument("--notebook", metavar="FILE", help=_("template notebook (default: the packaged report.ipynb)"))
    o.add_argument("--fresh", action="store_true", help=_("replace an existing scratch copy"))
    o.add_argument("--no-browser", action="store_true", help=_("do not open a browser"))
    o.add_argument("--dry-run", action="store_true", help=_("write the copy and print the command; do not start"))

    s = sub.add_parser("completion", help=_("print a shell completion script (bash or zsh)"))
    s.add_argument("shell", choices=("bash", "zsh"), help=_("the shell: bash or zsh"))


def _finish_subcommands(sub) -> None:
    """Every subcommand: its one-line help as the description of its own --help, the help layout that
    wraps Chinese, and ``--lang`` (also accepted after the subcommand; SUPPRESS so that it does not
    clobber a ``--lang`` given before it)."""
    for action in sub._choices_actions:
        parser = sub.choices[action.dest]
        parser.formatter_class = i18n.HelpFormatter
        if parser.description is None:
            parser.description = action.help
        parser.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help=_(LANG_HELP))


def _apply_workspace(parser: argparse.ArgumentParser, ws) -> None:
    """Make an xxgk.toml's settings the defaults of the subcommands (explicit flags still win)."""
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    params = str(ws.params)
    defaults = {
        "check": {"paths": [params]},
        "build": {"params": params, "out": str(ws.out)},
        "ingest": {"out": params},
        "form": {"params": params},
        "new": {"params": params},
        "list": {"params": params, "out": str(ws.out)},
        "open": {"params": params, "out": str(ws.out)},
    }
    if ws.jobs is not None:
        defaults["build"]["jobs"] = ws.jobs
    if ws.formats:
        defaults["build"]["formats"] = ",".join(ws.formats)
    if ws.template is not None:
        defaults["build"]["notebook"] = defaults["open"]["notebook"] = str(ws.template)
    for name, values in defaults.items():
        if name in subs:
            subs[name].set_defaults(**values)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from xxgk import workspace

    argv = sys.argv[1:] if argv is None else list(argv)
    # first --lang or the locale, so that even an error in xxgk.toml comes out in the interface language
    explicit = i18n.lang_from_argv(argv)
    i18n.activate(i18n.choose(explicit))
    try:
        ws = workspace.current()
    except UserError as exc:
        print(_("xxgk: {error}").format(error=exc), file=sys.stderr)
        return exc.exit_code
    # the parser's help texts are made in the interface language, so it is chosen before the parser exists
    i18n.activate(i18n.choose(explicit, ws.language if ws else None))
    parser = _parser()
    if ws is not None:
        _apply_workspace(parser, ws)
    args = parser.parse_args(argv)
    try:
        if args.command == "completion":
            from xxgk.everyday import completion_main

            return completion_main(args, parser)
        module, func = COMMANDS[args.command].split(":")
        return int(getattr(importlib.import_module(module), func)(args) or 0)
    except UserError as exc:
        print(_("xxgk {command}: {error}").format(command=args.command, error=exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("xxgk: interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
