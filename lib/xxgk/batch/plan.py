"""A batch: select reports by agency and year, decide which are out of date, run them on an executor, and
record each in the manifest the moment it finishes."""

from __future__ import annotations

import copy
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.batch.manifest import Manifest, file_digest, input_hash, lib_digest, report_key
from xxgk.batch.worker import Job
from xxgk.errors import UserError, did_you_mean
from xxgk.formats import formats_digest
from xxgk.i18n import _
from xxgk.nbclean import notebook_digest
from xxgk.params import params_path
from xxgk.params_review import member_files, peek_members
from xxgk.roster import roster_path

_GLOB = set("*?[")


def _listing(items, limit: int = 40) -> str:
    items = [str(i) for i in items]
    shown = ", ".join(items[:limit])
    if not items:
        return _("none")
    return shown + (_(", … ({n} in total)").format(n=len(items)) if len(items) > limit else "")


def select_reports(found: list[tuple[int, str, Path]], agency: str = "*", year: str = "*", where: str = "params"):
    """The (year, agency, path) entries matching the globs; UserError naming what exists when nothing matches."""
    if not found:
        raise UserError(_("no params files in {where} (expected {where}/<year>/<agency>.yaml); write some with `xxgk demo` or `xxgk ingest`").format(where=where))  # fmt: skip
    agency, year = str(agency or "*"), str(year or "*")
    years = sorted({y for y, _, _ in found})
    agencies = sorted({a for _, a, _ in found})
    if not any(fnmatch.fnmatchcase(str(y), year) for y in years):
        what = (_("unknown year {year!r} in {where}; years with params: {listing}") if not _GLOB & set(year)
                else _("no year matches {year!r} in {where}; years with params: {listing}"))  # fmt: skip
        raise UserError(what.format(year=year, where=where, listing=_listing(years)))
    if not any(fnmatch.fnmatchcase(a, agency) for a in agencies):
        what = (_("unknown agency {agency!r} in {where}; agencies with params: {listing}{hint}") if not _GLOB & set(agency)
                else _("no agency matches {agency!r} in {where}; agencies with params: {listing}{hint}"))  # fmt: skip
        hint = did_you_mean(agency, agencies) if not _GLOB & set(agency) else ""
        raise UserError(what.format(agency=agency, where=where, listing=_listing(agencies), hint=hint))
    chosen = [(y, a, p) for y, a, p in found if fnmatch.fnmatchcase(str(y), year) and fnmatch.fnmatchcase(a, agency)]
    if not chosen:
        have = sorted({y for y, a, _ in found if fnmatch.fnmatchcase(a, agency)})
        raise UserError(_("no params for agency {agency!r} in year {year!r}; it has params for: {listing}").format(agency=agency, year=year, listing=_listing(have)))
    return chosen


@dataclass
class Plan:
    """What a run will do: the jobs to build and the keys already up to date."""

    todo: list[Job] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)


def plan_batch(selected, *, params_dir, out_dir, notebook, formats, timeout: float, manifest: Manifest,
               force: bool = False, found=None) -> Plan:  # fmt: skip
    """Hash each selected report's inputs and compare with the manifest; the out-of-date ones become jobs.

    Inputs: the params file, last year's params file (read by the checker), every earlier year of the same
    agency (the notebook's year-over-year charts), for a consolidated report (``members:``) the same year's params
    file of every member and the roster (rule H-SUM reads them), the notebook (its code, not its outputs:
    ``notebook_digest``), the library, the format data, the formats.
    """
    params_dir, out_dir, notebook = Path(params_dir).resolve(), Path(out_dir).resolve(), Path(notebook).resolve()
    common = {"notebook": notebook_digest(notebook), "lib": lib_digest(), "formats_def": formats_digest(),
              "formats": ",".join(sorted(formats))}  # fmt: skip
    digests: dict[Path, str] = {}

    def digest(path: Path) -> str:
        if path not in digests:
            digests[path] = file_digest(path)
        return digests[path]

    by_agency: dict[str, list[tuple[int, Path]]] = {}
    for y, a, p in sorted(found if found is not None else selected):
        by_agency.setdefault(a, []).append((y, Path(p)))
    plan = Plan()
    for year, agency, path in selected:
        earlier = [f"{y}:{digest(p)}" for y, p in by_agency.get(agency, []) if y < year]
        inputs = {**common, "params": digest(Path(path)), "previous": digest(params_path(params_dir, year - 1, agency)),
                  "earlier": input_hash({"years": earlier}) if earlier else "-"}  # fmt: skip
        members = peek_members(path)
        if members:  # a consolidated report is out of date when any member's numbers change
            files = dict(zip(members, member_files(params_dir, year, members), strict=True))
            inputs["members"] = input_hash({m: digest(p) for m, p in files.items()} | {"roster": digest(roster_path(params_dir))})
        inputs["hash"] = input_hash(inputs)
        key = report_key(year, agency)
        if not force and manifest.up_to_date(key, inputs["hash"]):
            plan.fresh.append(key)
            continue
        plan.todo.append(Job(agency, year, str(params_dir), str(out_dir), str(notebook), tuple(formats), timeout, inputs))
    return plan


def run_batch(jobs: list[Job], manifest: Manifest, executor, progress, fail_fast: bool = False) -> dict[str, dict]:
    """Run the jobs; record every finished report in the manifest at once; return key → manifest entry."""
    results: dict[str, dict] = {}
    state = {"failed": False, "output": False}
    before = {j.key: copy.deepcopy(manifest.reports[j.key]) for j in jobs if j.key in manifest.reports}
    manifest.mark_running(j.key for j in jobs)

    def on_event(kind: str, key: str, payload) -> None:
        if kind == "start":
            progress.start(key)
        elif kind == "stage":
            progress.stage(key, payload)
        elif kind == "done":
            manifest.record(key, payload, before=before.get(key))
            results[key] = manifest.reports[key]
            progress.finish(key, payload)
            if payload.get("status") != "ok":
                state["failed"] = True
                state["output"] = state["output"] or (payload.get("error") or {}).get("kind") == "output"

    # an output directory that cannot be written fails every report alike: stop at the first
    executor.run(jobs, on_event, stop=lambda: (fail_fast and state["failed"]) or state["output"])
    return results
