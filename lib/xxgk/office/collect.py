"""``xxgk collect DIR --year Y``: read every returned form (and Word/PDF/HTML report) into params files.

A params file changed by hand since the last collect is never overwritten without ``--force``; an unknown agency
or two submissions of one agency in one folder are reported, not merged; every submission is logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import N_, _
from xxgk.ingest.command import read_any
from xxgk.office.forms import form_identity
from xxgk.office.state import load_state
from xxgk.params import load_params, params_path
from xxgk.params_write import file_sha256, save_params
from xxgk.roster import Roster

FORM_SUFFIXES = (".xlsx", ".xlsm")
REPORT_SUFFIXES = (".docx", ".doc", ".wps", ".pdf", ".html", ".htm", ".txt")
MERGED, UNCHANGED, DUPLICATE, UNKNOWN, HAND_EDITED, UNREADABLE, OTHER_YEAR = (
    "merged", "unchanged", "duplicate", "unknown", "hand_edited", "unreadable", "other_year")  # fmt: skip
#: the outcomes as ``xxgk collect`` prints them
OUTCOME_NAMES = {MERGED: N_("merged"), UNCHANGED: N_("unchanged"), DUPLICATE: N_("duplicate"), UNKNOWN: N_("unknown"),
                 HAND_EDITED: N_("hand-edited"), UNREADABLE: N_("unreadable"), OTHER_YEAR: N_("other year")}  # fmt: skip


@dataclass
class Outcome:
    """What collect did with one returned file."""

    file: str
    outcome: str
    agency: str | None = None
    message: str = ""


@dataclass
class CollectResult:
    """Every file's outcome."""

    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, outcome: str) -> list[Outcome]:
        """The files with this outcome."""
        return [o for o in self.outcomes if o.outcome == outcome]


def returned_files(folder: str | Path) -> list[Path]:
    """The forms and reports in a folder (recursively), skipping office lock files and hidden files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(_("{folder}: no such directory").format(folder=folder))
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FORM_SUFFIXES + REPORT_SUFFIXES
                  and not p.name.startswith(("~$", ".")))  # fmt: skip


def _identify(path: Path, year: int, roster: Roster):
    """(agency id or None, report) of a returned file; the form's hidden metadata decides who it is from."""
    if path.suffix.lower() in FORM_SUFFIXES:
        meta_agency, meta_year = form_identity(path)
        if meta_year is not None and meta_year != year:
            return meta_agency, None, _("the form is for {form_year}, not {year}").format(form_year=meta_year, year=year)
        report = read_any(str(path), year=year).report
        return meta_agency or report.agency.id or None, report, ""
    report = read_any(str(path), year=year).report
    if report.agency.id in roster:
        return report.agency.id, report, ""
    by_name = {m.name: m.id for m in roster.members.values()}
    return by_name.get(report.agency.name, report.agency.id or None), report, ""


def collect(folder: str | Path, year: int, params_dir: str | Path, roster: Roster, *, force: bool = False,
            now: dt.datetime | None = None) -> CollectResult:  # fmt: skip
    """Ingest every returned file of ``folder`` into ``<params_dir>/<year>/``; log it in the collect state."""
    now = now or dt.datetime.now().replace(microsecond=0)
    state = load_state(params_dir, year)
    result = CollectResult()
    read: dict[str, list] = {}
    for path in returned_files(folder):
        try:
            aid, report, why = _identify(path, year, roster)
        except UserError as exc:
            result.outcomes.append(Outcome(str(path), UNREADABLE, None, str(exc)))
            continue
        if report is None:
            result.outcomes.append(Outcome(str(path), OTHER_YEAR, aid, why))
        elif aid not in roster:
            result.outcomes.append(Outcome(str(path), UNKNOWN, aid,
                                           _("agency {aid!r} ({name}) is not in the roster {roster}").format(
                                               aid=aid, name=report.agency.name, roster=roster.file)))
        else:
            read.setdefault(aid, []).append((path, file_sha256(path), report))
    agencies = roster.agencies()
    for aid, subs in read.items():
        distinct = {d for _, d, _ in subs}
        if len(distinct) > 1:
            names = ", ".join(p.name for p, _, _ in subs)
            for path, _d, _r in subs:
                result.outcomes.append(Outcome(str(path), DUPLICATE, aid, _(
                    "{n} different submissions of {aid} in this folder ({names}); none merged — keep one").format(
                    n=len(subs), aid=aid, names=names)))
            continue
        path, fdigest, report = subs[0]
        before = state.seen(aid, fdigest)
        target = params_path(params_dir, year, aid)
        if before is not None and target.is_file() and not state.hand_edited(aid, target):
            result.outcomes.append(Outcome(str(path), UNCHANGED, aid, _("already collected on {time}").format(time=before["time"])))
            continue
        if state.hand_edited(aid, target) and not force:
            result.outcomes.append(Outcome(str(path), HAND_EDITED, aid, _("{target} was changed by hand since the last collect; not "
                                           "overwritten (use --force to replace it)").format(target=target)))
            continue
        report.agency = agencies[aid]
        if target.is_file():  # what the office wrote stays: reviews of findings, the members of a consolidation
            try:
                old = load_params(target, agencies)
                report.reviews, report.members = old.reviews, old.members
            except UserError:
                pass
        save_params(report, target)
        state.written[aid] = file_sha256(target)
        state.submissions.append({"agency": aid, "file": path.name, "digest": fdigest, "time": now.isoformat(),
                                  "contact": report.contact, "outcome": MERGED})  # fmt: skip
        result.outcomes.append(Outcome(str(path), MERGED, aid, f"→ {target}"))
    for o in result.outcomes:
        if o.outcome != MERGED:
            state.submissions.append({"agency": o.agency, "file": Path(o.file).name, "time": now.isoformat(),
                                      "outcome": o.outcome, "message": o.message})  # fmt: skip
    state.save()
    return result
