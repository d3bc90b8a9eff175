"""Bring the site up to date after a batch: open data and per-year overviews only when their inputs changed
(recorded under ``site`` in the manifest), the index page every time (it is cheap)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from xxgk.batch.manifest import now_iso
from xxgk.batch.outputs import OutputError, output_error
from xxgk.i18n import _
from xxgk.nbclean import notebook_digest
from xxgk.params import ParamsError, load_params
from xxgk.site.atomic import write_all_atomic
from xxgk.site.data import DATA_DIR, load_reports, open_data, site_reports
from xxgk.site.index import index_rows, render_index

OVERVIEW_NOTEBOOK = "notebooks/overview.ipynb"


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "-"


def _hash(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def overview_notebook() -> Path:
    """The overview template shipped in the package (``xxgk/notebooks/overview.ipynb``)."""
    from xxgk.workspace import packaged_notebook

    return packaged_notebook(Path(OVERVIEW_NOTEBOOK).name).resolve()


def publish(out_dir, params_dir, manifest, found) -> list[str]:
    """Open data, overviews and the index page for every report of the site (everything built under the output
    directory, whichever params directory or filter a run used, and the params files found); all site files
    and the manifest are written together or not at all. Returns one message per step that did something."""
    from xxgk.batch.manifest import lib_digest

    out_dir, params_dir = Path(out_dir), Path(params_dir)
    msgs: list[str] = []
    for y, a, p in found:  # entries written before params files were recorded
        e = manifest.reports.get(f"{y}/{a}")
        if e is not None and not e.get("params"):
            e["params"] = str(Path(p).resolve())
    manifest.save()  # the overview notebooks read it
    universe = site_reports(manifest.reports, found)
    digests = {(y, a): _digest(Path(p)) if p is not None else "-" for y, a, p in universe}
    lib = lib_digest()
    files: dict[str, str] = {}

    def entry_key(y, a):
        e = manifest.reports.get(f"{y}/{a}") or {}
        return [digests[(y, a)], (e.get("inputs") or {}).get("hash"), e.get("status"), bool(e.get("stale"))]

    key = _hash({"reports": {f"{y}/{a}": entry_key(y, a) for y, a, _ in universe}, "lib": lib})
    data_files = [out_dir / DATA_DIR / "cells.csv", out_dir / DATA_DIR / "reports.json"]
    if manifest.site.get("open_data", {}).get("hash") != key or not all(p.is_file() for p in data_files):
        reports = load_reports(out_dir, universe)
        files.update(open_data(reports))
        manifest.site["open_data"] = {"hash": key, "reports": len(reports), "files": [p.name for p in data_files]}
        msgs.append(_("open data: {data_dir}/cells.csv and {data_dir}/reports.json ({n} reports)").format(data_dir=DATA_DIR, n=len(reports)))

    overviews = _overviews(out_dir, params_dir, manifest, universe, digests, lib, msgs, files)

    names = {}
    for y, a, p in universe:
        e = manifest.reports.get(f"{y}/{a}") or {}
        if not e.get("name") and p is not None and p.is_file():
            try:
                r = load_params(p)
                names[(y, a)] = (r.agency.name, r.agency.level)
            except ParamsError:
                pass
    rows = index_rows(out_dir, manifest, found, names)
    boards = {int(d.name): f"{d.name}/status.html" for d in out_dir.iterdir()
              if d.is_dir() and d.name.isdigit() and (d / "status.html").is_file()}  # fmt: skip
    files["index.html"] = render_index(rows, overviews, boards=boards)
    manifest.updated = now_iso()
    files["manifest.json"] = manifest.text()
    try:
        write_all_atomic(out_dir, files)
    except OSError as exc:
        raise OutputError(_("{output_error}; the site was not updated (its previous files are unchanged)").format(output_error=output_error(exc))) from None
    msgs.append(_("index: {value} ({n} reports)").format(value=out_dir / 'index.html', n=len(rows)))
    return msgs


def _overviews(out_dir: Path, params_dir: Path, manifest, found, digests, lib: str, msgs: list[str],
               files: dict[str, str]) -> dict[int, str]:  # fmt: skip
    """Run the overview notebook for every year whose inputs changed (its page goes into ``files``, written with
    the rest of the site); return year → relative link."""
    notebook = overview_notebook()
    if not notebook.is_file():
        msgs.append(_("overviews skipped: {notebook} not found").format(notebook=notebook))
        return {}
    nb_digest = notebook_digest(notebook)  # its code: saving it in JupyterLab changes nothing
    years = sorted({y for y, _, _ in found})
    todo = []
    state = manifest.site.setdefault("overviews", {})
    for year in years:
        statuses = {k: [e.get("status"), e.get("state"), e.get("checks"), bool(e.get("stale"))]
                    for k, e in manifest.reports.items() if str(e.get("year")) == str(year)}  # fmt: skip
        key = _hash({"params": sorted(f"{y}/{a}:{d}" for (y, a), d in digests.items() if y <= year),
                     "statuses": statuses, "notebook": nb_digest, "lib": lib})  # fmt: skip
        page = out_dir / str(year) / "overview.html"
        if state.get(str(year), {}).get("hash") != key or not page.is_file():
            todo.append((year, key))
    if todo:
        from xxgk.batch.kernels import ForkServer, fork_kernel_manager, notebook_imports, shutdown

        with ForkServer(preload=notebook_imports(notebook)) as server:
            for year, key in todo:
                km = fork_kernel_manager(server, log_path=str(out_dir / str(year) / "overview.log"),
                                         extra_argv=["--IPKernelApp.log_level=ERROR"])  # fmt: skip
                try:
                    files[f"{year}/overview.html"] = run_overview(year, out_dir, params_dir, notebook, km)
                    state[str(year)] = {"hash": key, "status": "ok"}
                    msgs.append(_("overview: {year}/overview.html").format(year=year))
                except Exception as exc:  # noqa: BLE001 - a broken overview must not hide the reports
                    state[str(year)] = {"hash": None, "status": "failed", "error": f"{type(exc).__name__}: {exc}"[:500]}
                    print(_("xxgk build: overview for {year} failed: {type}: {exc}").format(year=year, type=type(exc).__name__, exc=exc), file=sys.stderr)
                finally:
                    shutdown(km)
    return {y: f"{y}/overview.html" for y in years
            if f"{y}/overview.html" in files or (out_dir / str(y) / "overview.html").is_file()}  # fmt: skip


def run_overview(year: int, out_dir: Path, params_dir: Path, notebook: Path, km=None) -> str:
    """Execute the overview notebook for a year with Papermill; return its page (the report HTML exporter's)."""
    import papermill as pm

    from xxgk.batch.runner import html_exporter

    target = out_dir / str(year)
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f".overview.{os.getpid()}.tmp.ipynb"
    params = {"year": year, "out_dir": str(out_dir), "params_dir": str(params_dir)}
    extra = {"km": km} if km is not None else {}
    try:
        nb = pm.execute_notebook(str(notebook), str(tmp), parameters=params, progress_bar=False, cwd=str(target),
                                 kernel_name="python3", **extra)  # fmt: skip
        os.replace(tmp, target / "overview.ipynb")
    finally:
        tmp.unlink(missing_ok=True)
    body, _ = html_exporter().from_notebook_node(nb)
    return body
