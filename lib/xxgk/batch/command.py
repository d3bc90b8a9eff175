"""``xxgk build``: every selected agency × year, in parallel, only what changed; then the index page, the
per-year overviews and the open data."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

from xxgk.batch.manifest import Manifest, build_lock, mark_stale, prune
from xxgk.batch.outputs import OutputError, check_writable, clean_stale
from xxgk.batch.plan import plan_batch, run_batch, select_reports
from xxgk.batch.progress import describe_failure, make_progress
from xxgk.errors import UserError
from xxgk.i18n import _, ngettext
from xxgk.layout import check_layout
from xxgk.params import discover


def parse_formats(text: str) -> tuple[str, ...]:
    """'html,pdf[,docx]' as a tuple in canonical order; UserError for unknown names."""
    from xxgk.batch.runner import FORMATS

    wanted = [f.strip().lower() for f in str(text).split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise UserError(_("--formats: unknown format(s) {formats}; choose from {choices}").format(
            formats=", ".join(bad) or _("(none given)"), choices=", ".join(FORMATS)))
    if "pdf" in wanted and "html" not in wanted:
        wanted.append("html")  # the PDF is printed from the report HTML
    return tuple(f for f in FORMATS if f in wanted)


def _say(text: str) -> None:
    try:
        print(text, file=sys.stdout, flush=True)
    except BrokenPipeError:
        pass


def main(args) -> int:
    """Build the selected reports; exit status 1 when any report failed."""
    from xxgk.batch.runner import DEFAULT_NOTEBOOK, resolve_notebook
    from xxgk.render.source import resolve_params_dir

    formats = parse_formats(args.formats)
    if args.jobs < 1:
        raise UserError(_("--jobs: expected at least 1"))
    if not math.isfinite(args.timeout) or args.timeout <= 0:
        raise UserError(_("--timeout: expected a finite, positive number of seconds"))
    if args.scheduler and args.executor != "dask":
        raise UserError(_("--scheduler needs --executor dask"))
    params_dir = resolve_params_dir(args.params)
    notebook = resolve_notebook(getattr(args, "notebook", None) or DEFAULT_NOTEBOOK)
    out_dir = Path(args.out).resolve()
    found = discover(params_dir)
    selected = select_reports(found, args.agency, args.year, str(args.params))
    check_layout(found, params_dir, years={y for y, _, _ in selected})  # before any kernel starts
    check_writable(out_dir)
    with build_lock(out_dir):
        return _run(args, params_dir, notebook, out_dir, formats, found, selected)


def _run(args, params_dir: Path, notebook: Path, out_dir: Path, formats, found, selected) -> int:
    from xxgk.batch.worker import kept_names

    t0 = time.perf_counter()
    for line in clean_stale(out_dir, kept_names()):  # what a killed run left behind
        _say(f"xxgk build: {line}")
    manifest = Manifest(out_dir)
    mark_stale(manifest)
    if getattr(args, "prune", False):
        for line in prune(manifest):
            _say(f"xxgk build: {line}")
    plan = plan_batch(selected, params_dir=params_dir, out_dir=out_dir, notebook=notebook, formats=formats,
                      timeout=args.timeout, manifest=manifest, force=args.force, found=found)  # fmt: skip
    checked = time.perf_counter() - t0
    workers = min(args.jobs, len(plan.todo)) if plan.todo else 0
    selected_text = ngettext("{n} report selected", "{n} reports selected", len(selected)).format(n=len(selected))
    if plan.todo:
        todo = ngettext("{n} to build with {workers} {executor} worker", "{n} to build with {workers} {executor} workers",
                        workers).format(n=len(plan.todo), workers=workers, executor=args.executor)  # fmt: skip
    else:
        todo = _("{n} to build").format(n=0)
    _say(_("xxgk build: {selected}; {fresh} up to date (checked in {seconds} s), {todo}").format(
        selected=selected_text, fresh=len(plan.fresh), seconds=f"{checked:.2f}", todo=todo))
    results: dict[str, dict] = {}
    t_build = time.perf_counter()
    if plan.todo:
        from xxgk.batch.executors import get_executor

        executor = get_executor(args.executor, workers, args.scheduler)
        with make_progress(len(plan.todo), quiet=args.quiet) as progress:
            results = run_batch(plan.todo, manifest, executor, progress, fail_fast=args.fail_fast)
    elapsed = time.perf_counter() - t_build
    failed = {k: e for k, e in results.items() if e.get("status") != "ok"}
    unwritable = next((e for e in failed.values() if (e.get("error") or {}).get("kind") == "output"), None)
    if unwritable is not None:
        manifest.save()
        raise OutputError(_("{error}; stopped after {done} of {total} report(s), every existing output is unchanged")
                          .format(error=unwritable["error"]["message"], done=len(results), total=len(plan.todo)))
    if not args.no_site:
        from xxgk.site import publish

        for line in publish(out_dir, params_dir, manifest, found):
            _say(line)
    else:
        manifest.save()
    not_run = len(plan.todo) - len(results)
    if plan.todo:
        built = len(results) - len(failed)
        parts = [_("{built} built, {failed} failed").format(built=built, failed=len(failed))]
        if not_run:
            parts.append(_("{n} not run (--fail-fast)").format(n=not_run))
        summary = _(", ").join(parts)
        if results:
            line = _("xxgk build: {summary} in {seconds} s, {per} s/report").format(
                summary=summary, seconds=f"{elapsed:.1f}", per=f"{elapsed / len(results):.2f}")
        else:
            line = _("xxgk build: {summary} in {seconds} s").format(summary=summary, seconds=f"{elapsed:.1f}")
        _say(line)
    if failed:
        print("\n" + ngettext("{n} report failed:", "{n} reports failed:", len(failed)).format(n=len(failed)),
              file=sys.stderr)
        for key, entry in sorted(failed.items()):
            print(_failure_block(key, entry, out_dir), file=sys.stderr)
        return 1
    return 1 if not_run else 0


def _failure_block(key: str, entry: dict, out_dir: Path) -> str:
    """The end-of-run description of one failed report: agency, year, cell, its first lines, the error, files."""
    e = entry.get("error") or {}
    name = entry.get("name") or entry.get("agency")
    lines = [f"  ✗ {entry.get('year')} {entry.get('agency')} ({name}): {describe_failure(key, e).split(' ', 1)[1]}"]
    if e.get("cell_source"):
        lines.append("      " + _("cell source:"))
        lines.extend("        " + ln for ln in e["cell_source"].splitlines())
    if e.get("kind") in ("params", "build", "internal") and e.get("detail") and e["detail"] != e.get("message"):
        lines.extend("      " + ln for ln in e["detail"].splitlines()[:8])
    outs = entry.get("outputs") or {}
    for label, title in (("failed_notebook", _("failed notebook")), ("log", _("log"))):
        if label in outs:
            lines.append(f"      {title}: {out_dir / outs[label]}")
    return "\n".join(lines)
