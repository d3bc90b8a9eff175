"""The ``xxgk`` command line: argument parsing and dispatch; each command's work lives in the library."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import math
import os
import sys

from xxgk import __version__
from xxgk.errors import UserError

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


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xxgk",
        description="Government information-disclosure annual reports (政府信息公开工作年度报告): "
        "check, build, ingest and exchange them.",
    )
    p.add_argument("--version", action="version", version=f"xxgk {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help="check reports (params YAML or interchange JSON; files or directories)")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--json", action="store_true", help="print the findings as JSON")

    e = sub.add_parser("export", help="export a report as interchange JSON or as long-format CSV")
    e.add_argument("path", metavar="PARAMS")
    g = e.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="interchange JSON xxgk.report/1 (the default)")
    g.add_argument("--csv", action="store_true", help="one line per cell: cell id, label path, value, blank")

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
    i.add_argument("--year", type=report_year, help="report year, when the document does not say")
    i.add_argument("--agency-id", help="agency id slug (default: derived from the name)")
    i.add_argument("--force", action="store_true", help="overwrite existing params files")

    f = sub.add_parser("form", help="write an Excel data-entry form in the official layout")
    f.add_argument("--year", type=report_year, required=True)
    f.add_argument("--agency", help="pre-fill from this agency's params file")
    f.add_argument("--params", default="params", metavar="DIR")
    f.add_argument("-o", "--out", default="form.xlsx", metavar="FILE")

    n = sub.add_parser("new", help="start next year's params file from last year's")
    n.add_argument("--agency", required=True)
    n.add_argument("--year", type=report_year, required=True)
    n.add_argument("--params", default="params", metavar="DIR")

    d = sub.add_parser("demo", help="write synthetic, consistent params files (agency names marked 示例)")
    d.add_argument("--agencies", type=int, default=20)
    d.add_argument("--years", default="2019-2024", help="a year or a range, e.g. 2019-2024")
    d.add_argument("--out", default="demo-params", metavar="DIR")
    d.add_argument("--seed", type=int, default=1)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    module, func = COMMANDS[args.command].split(":")
    try:
        return int(getattr(importlib.import_module(module), func)(args) or 0)
    except UserError as exc:
        print(f"xxgk {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
