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
from xxgk.i18n import _
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


def seconds(text: str) -> float:
    """An argparse type: a finite, positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite, positive number of seconds, got {text!r}")
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
        raise argparse.ArgumentTypeError(f"expected a report year from {first} to {last}, got {text!r}")
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
            raise argparse.ArgumentTypeError(f"expected a whole number {low}–{high}, got {text[:40]!r}")
        return n

    return parse


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xxgk",
        description="Government information-disclosure annual reports (政府信息公开工作年度报告): "
        "check, build, ingest and exchange them.",
    )
    p.add_argument("--version", action="version", version=f"xxgk {__version__}")
    p.add_argument("--lang", choices=i18n.LANGUAGES,
                   help=_("interface language: zh (Chinese) or en (English); default: xxgk.toml, then the locale"))  # fmt: skip
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help="check reports (params YAML or interchange JSON; files or directories)")
    c.add_argument("paths", nargs="*", metavar="PATH", default=["params"],
                   help="params files, interchange JSON or directories (default: the params directory)")
    c.add_argument("--json", action="store_true", help="print the findings as JSON")
    c.add_argument("--allow-missing", action="store_true", help=_("interchange JSON: read cells missing from 'cells' as blank (reported) instead of refusing"))

    e = sub.add_parser("export", help="export a report as interchange JSON or as long-format CSV")
    e.add_argument("path", metavar="PARAMS")
    g = e.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="interchange JSON xxgk.report/1 (the default)")
    g.add_argument("--csv", action="store_true", help="one line per cell: cell id, label path, value, blank")
    e.add_argument("--allow-missing", action="store_true",
                   help="interchange JSON: read cells missing from 'cells' as blank (reported) instead of refusing")  # fmt: skip

    b = sub.add_parser("build", help="build reports (HTML, PDF, DOCX) from params files")
    b.add_argument("--agency", default="*", help="agency id or glob (default: all)")
    b.add_argument("--year", default="*", type=year_glob, help="report year or glob (default: all)")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: cores)")
    b.add_argument("--formats", default="html,pdf", help="comma-separated: html,pdf,docx (default html,pdf)")
    b.add_argument("--force", action="store_true", help="rebuild even when outputs are up to date")
    b.add_argument("--fail-fast", action="store_true", help="stop at the first failed report")
    b.add_argument("--params", default="params", metavar="DIR", help="params directory (default params)")
    b.add_argument("--out", default="build", metavar="DIR", help="output directory (default build)")
    b.add_argument("--notebook", metavar="FILE", help="template notebook (default notebooks/report.ipynb)")
    b.add_argument("--executor", choices=("local", "dask"), default="local")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    b.add_argument("--timeout", type=seconds, default=600.0, help="per-report time limit in seconds")
    b.add_argument("--quiet", action="store_true", help="no live progress; one line per finished report")
    b.add_argument("--no-site", action="store_true", help="skip index page, overviews and open data")
    b.add_argument("--prune", action="store_true",
                   help="remove the outputs and manifest entries of reports whose params file no longer exists")

    sub.add_parser("doctor", help="check packages, the CJK font and the browser; say how to fix what is missing")

    i = sub.add_parser("ingest", help="read published reports (PDF, HTML, DOCX, XLSX form, text) into params files")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("-o", "--out", default="params", metavar="DIR", help="params directory to write (default params)")
    i.add_argument("--json", action="store_true", help="print interchange JSON instead of writing YAML")
    i.add_argument("--year", type=_year, help="report year, when the document does not say")
    i.add_argument("--agency-id", type=_slug, help="agency id slug (default: derived from the name)")
    i.add_argument("--force", action="store_true", help="overwrite existing params files")
    i.add_argument("--ocr", choices=("auto", "never", "always"), default="auto",
                   help="OCR scanned PDFs and images: auto = when a PDF has no text layer, and always for images")  # fmt: skip

    f = sub.add_parser("form", help="write an Excel data-entry form in the official layout")
    f.add_argument("--year", type=_year, required=True)
    f.add_argument("--agency", type=_slug, help="pre-fill from this agency's params file")
    f.add_argument("--params", default="params", metavar="DIR")
    f.add_argument("-o", "--out", default="form.xlsx", metavar="FILE")

    n = sub.add_parser("new", help="start next year's params file from last year's")
    n.add_argument("--agency", type=_slug, required=True)
    n.add_argument("--year", type=_year, required=True)
    n.add_argument("--params", default="params", metavar="DIR")

    d = sub.add_parser("demo", help="write synthetic, consistent params files (agency names marked 示例)")
    d.add_argument("--agencies", type=_bounded(1, 10_000), default=20)
    d.add_argument("--years", default="2019-2024", help="a year or a range, e.g. 2019-2024")
    d.add_argument("--out", default="demo-params", metavar="DIR")
    d.add_argument("--seed", type=_bounded(0, 2**32 - 1), default=1)

    office_cli.add_parsers(sub)  # forms, collect, status, review, rollup
    _add_reach_commands(sub)
    sub.add_parser("schema", help="print the JSON Schema of the interchange document xxgk.report/1")
    return p


def _add_reach_commands(sub) -> None:
    w = sub.add_parser("init", help="create a workspace: params/, xxgk.toml, .gitignore, 使用说明.md")
    w.add_argument("directory", metavar="DIR", nargs="?", default=".", help="workspace folder (default: here)")
    w.add_argument("--sample", action="store_true", help="add the sample params/2020/yuyao-commerce.yaml")

    ls = sub.add_parser("list", help="list the reports found, with year, agency and checker status")
    ls.add_argument("--params", default="params", metavar="DIR", help="params directory (default params)")
    ls.add_argument("--out", default="build", metavar="DIR", help="output directory (default build)")
    ls.add_argument("--json", action="store_true", help="print the list as JSON")

    o = sub.add_parser("open", help="open a report in JupyterLab on a scratch copy of the template")
    o.add_argument("agency", metavar="AGENCY", help="agency id, e.g. yuyao-commerce")
    o.add_argument("year", metavar="YEAR", type=int, help="report year, e.g. 2020")
    o.add_argument("--params", default="params", metavar="DIR", help="params directory (default params)")
    o.add_argument("--out", default="build", metavar="DIR", help="output directory; the copy goes to DIR/scratch/")
    o.add_argument("--notebook", metavar="FILE", help="template notebook (default: the packaged report.ipynb)")
    o.add_argument("--fresh", action="store_true", help="replace an existing scratch copy")
    o.add_argument("--no-browser", action="store_true", help="do not open a browser")
    o.add_argument("--dry-run", action="store_true", help="write the copy and print the command; do not start")

    s = sub.add_parser("completion", help="print a shell completion script (bash or zsh)")
    s.add_argument("shell", choices=("bash", "zsh"), help="the shell")


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
    try:
        ws = workspace.current()
    except UserError as exc:
        i18n.activate(i18n.choose(i18n.lang_from_argv(argv)))
        print(f"xxgk: {exc}", file=sys.stderr)
        return exc.exit_code
    # the parser's help texts are made in the interface language, so it is chosen before the parser exists
    i18n.activate(i18n.choose(i18n.lang_from_argv(argv), ws.language if ws else None))
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
        print(f"xxgk {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
