"""Running the rules: one report (with last year's, when known), or every report under some paths."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# importing the rule modules registers their rules
from xxgk.checks import consolidation, crossyear, narrative, procedural, tables  # noqa: F401
from xxgk.checks.base import RULES, Finding
from xxgk.checks.context import Ctx
from xxgk.checks.review import apply_reviews
from xxgk.errors import UserError
from xxgk.interchange import load_report
from xxgk.model import Report
from xxgk.params import ParamsError, Problem, load_params, params_path

REPORT_SUFFIXES = (".yaml", ".yml", ".json")
#: files in a params directory that are not reports: the office roster (collect state files start with a dot)
NOT_REPORTS = ("agencies.yaml",)

#: every rule of spec §4 that is implemented, in the order findings are listed
RULE_ORDER = (
    "T3-BAL", "T3-ROWSUM", "T3-R7", "T3-NONNEG", "T4-GROUP", "T4-NONNEG",
    "T2-19-INT", "T2-21-INT", "T2-19-PUB", "T3-OTHER-HIGH",
    "X-CARRY", "X-VALID-21", "X-ITEMS-19", "X-SIMILAR",
    "N-APPS", "N-OUTCOMES", "N-T2", "N-T4", "N-FEE", "N-YEAR",
    "P1", "P2", "P3", "P4", "P5", "P7", "P8", "H-SUM",
)  # fmt: skip
if set(RULE_ORDER) != set(RULES):  # pragma: no cover - guards adding a rule without listing it
    raise RuntimeError(f"rule order out of date: {sorted(set(RULE_ORDER) ^ set(RULES))}")


def check_report(report: Report, previous: Report | None = None, params_dir: str | Path | None = None) -> list[Finding]:
    """Every failed or not-assessable finding of a report; cross-year rules run when last year's report is known.

    Without ``previous``, last year's report is read from ``<params_dir>/<year-1>/<agency-id>.yaml`` if present.
    """
    if previous is None and params_dir is not None:
        path = params_path(params_dir, report.year - 1, report.agency.id)
        previous = load_params(path) if path.is_file() else None
    if previous is not None and previous.year != report.year - 1:
        raise ParamsError([Problem(previous.source or "<previous>", None, f"year: the previous year's report says "
                                   f"{previous.year}, expected {report.year - 1} (the year before {report.year})")])  # fmt: skip
    ctx = Ctx(report, previous)
    findings: list[Finding] = []
    for r in (RULES[rule_id] for rule_id in RULE_ORDER):
        if r.cross_year and previous is None:
            continue
        findings.extend(r.func(ctx))
    return apply_reviews(report, findings)


@dataclass
class Checked:
    """One checked report: where it came from, last year's report used (if any), and the findings."""

    path: Path
    report: Report
    previous: Report | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def state(self) -> str:
        """The report's state: error, incomplete, warning or clean (``xxgk.checks.status``)."""
        from xxgk.checks.status import report_state

        return report_state(self.findings, self.report)

    def to_dict(self) -> dict:
        """The per-report JSON object of ``xxgk check --json``."""
        from xxgk.checks.status import gaps

        return {
            "agency": self.report.agency.id,
            "year": self.report.year,
            "format": self.report.format_id,
            "state": self.state,
            "findings": [f.to_dict() for f in self.findings],
            "gaps": gaps(self.report),
        }


#: what ``xxgk ingest`` reads; ``xxgk check`` points there
INGEST_SUFFIXES = frozenset({".xlsx", ".xlsm", ".pdf", ".docx", ".doc", ".html", ".htm", ".txt"})


def report_files(paths: Iterable[str | Path]) -> list[Path]:
    """The report files named by ``paths`` (files, or directories searched recursively for *.yaml / *.json)."""
    from xxgk.layout import LayoutError, escaping_link

    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
                           and f.name not in NOT_REPORTS and not f.name.startswith("."))  # fmt: skip
            if not found:
                raise UserError(f"{p}: no report files (*.yaml, *.json) in this directory")
            links = [m for m in (escaping_link(f, p) for f in found) if m]
            if links:  # refused before anything reads them
                raise LayoutError(links)
            out.extend(found)
        elif p.is_file() and p.suffix.lower() in INGEST_SUFFIXES:
            raise UserError(f"{p}: a published report or form, not a params file; "
                            f"read it into a params file with `xxgk ingest {p}`, then check that")  # fmt: skip
        elif p.is_file():
            out.append(p)
        else:
            raise UserError(f"{p}: no such file or directory")
    return list(dict.fromkeys(out))


def check_paths(paths: Iterable[str | Path], allow_missing: bool = False) -> list[Checked]:
    """Check every report under ``paths``; last year's report comes from the same run or the neighbouring year dir.

    A file that cannot be read raises a ``UserError`` naming the file and line. ``allow_missing``: cells missing
    from an interchange JSON's ``cells`` are read as blank (and said so on stderr) instead of refused.
    """
    from xxgk.layout import LayoutError, layout_problems

    files = report_files(paths)
    laid_out = [(int(f.parent.name), f.stem, f) for f in files
                if f.suffix.lower() in (".yaml", ".yml") and f.parent.name.isascii() and f.parent.name.isdigit()]  # fmt: skip
    problems = layout_problems(laid_out)
    if problems:  # a file in the wrong place would be checked, and built, as another report
        raise LayoutError(problems)
    loaded = [(f, load_report(f, allow_missing)) for f in files]
    by_key = {(r.agency.id, r.year): r for _, r in loaded}
    results = []
    for path, report in loaded:
        previous = by_key.get((report.agency.id, report.year - 1))
        if previous is None:
            neighbour = path.parent.parent / str(report.year - 1) / f"{report.agency.id}.yaml"
            previous = load_params(neighbour) if neighbour.is_file() else None
        results.append(Checked(path, report, previous, check_report(report, previous)))
    return results
