"""The per-report task every executor runs, and what a worker keeps warm between reports.

A worker keeps one kernel fork server (a fresh kernel process per report, without its start-up cost), one
headless browser for PDFs and the HTML exporter. ``run_job`` never raises: it returns the manifest entry of
the report, ``ok`` or ``failed`` with the failing cell, its first lines and the error. A whole-report time
limit kills the report's kernel; the partial notebook is kept as ``report.failed.ipynb``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xxgk.batch.manifest import FAILED, OK, input_hash, lib_digest, now_iso, report_key
from xxgk.batch.outputs import OUTPUT_ERRNOS, drop_last_good, keep_last_good, output_error, restore_last_good
from xxgk.i18n import _

FORK_ENV = "XXGK_FORK_KERNELS"  # "0": start every kernel the ordinary way (slower; for comparison)
OUTPUT_NAMES = {"notebook": "report.ipynb", "html": "report.html", "pdf": "report.pdf", "docx": "report.docx",
                "analysis_html": "analysis.html", "analysis_pdf": "analysis.pdf"}  # publication, then analyst files
FAILED_NOTEBOOK = "report.failed.ipynb"
DOC_NAME = "report.json"
LOG_NAME = "build.log"
ERROR_TAG = "papermill-error-cell-tag"
KERNEL_ARGV = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]  # no SQLite history per report


@dataclass
class Job:
    """One report to build (plain data, so it can travel to a worker process or a Dask worker)."""

    agency: str
    year: int
    params_dir: str
    out_dir: str
    notebook: str
    formats: tuple = ("html", "pdf")
    timeout: float = 600.0
    inputs: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """``<year>/<agency>``."""
        return report_key(self.year, self.agency)

    @property
    def report_dir(self) -> Path:
        """``<out>/<year>/<agency>``."""
        return Path(self.out_dir) / str(self.year) / self.agency

    def to_dict(self) -> dict:
        """Plain-dict form."""
        return asdict(self)


#: optional imports a worker never uses: jsonschema (imported by nbformat) loads rfc3987_syntax for "iri" format
#: checks, and building its grammar costs ~1.7 s of CPU per process; nbformat validates without format checks
UNUSED_IMPORTS = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Keep UNUSED_IMPORTS from loading in this (worker) process; a no-op once jsonschema is imported."""
    if "jsonschema" not in sys.modules:
        for name in UNUSED_IMPORTS:
            sys.modules.setdefault(name, None)  # ``import`` then raises ImportError, which jsonschema expects


def fork_kernels() -> bool:
    """Whether kernels are forked from a pre-imported server (Linux; not disabled with XXGK_FORK_KERNELS=0)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and os.environ.get(FORK_ENV, "1") != "0"


def _fork_server(notebook: str):
    from xxgk.batch.kernels import ForkServer, notebook_imports

    return ForkServer(preload=notebook_imports(notebook)) if fork_kernels() else None  # starts in the background


class WorkerState:
    """What one worker process keeps between reports: the kernel fork server and the PDF browser."""

    def __init__(self, notebook: str, pdf: bool = True) -> None:
        self.notebook = notebook
        self.lib = lib_digest()  # the library this process runs (long-lived Dask workers may lag behind)
        self.server = _fork_server(notebook)
        self.printer = None
        if pdf:
            self._start_printer()
        from xxgk.batch import runner

        runner.html_exporter()  # templates loaded once per worker
        runner.html_exporter("analysis")
        atexit.register(self.close)

    def _start_printer(self) -> None:
        from xxgk.render.pdf import ChromiumPrinter

        self.printer = ChromiumPrinter()
        self.printer.start()

    def ensure(self, job: Job) -> None:
        """Restart whatever died since the last report; start the browser if PDFs are now wanted."""
        if self.server is not None and (not self.server.alive or self.notebook != job.notebook):
            self.server.close()
            self.notebook = job.notebook
            self.server = _fork_server(job.notebook)
        if "pdf" in job.formats and self.printer is None:
            self._start_printer()

    def close(self) -> None:
        """Stop the fork server and the browser."""
        if self.server is not None:
            with contextlib.suppress(Exception):
                self.server.close()
        if self.printer is not None:
            with contextlib.suppress(Exception):
                self.printer.close()
            self.printer = None


_state: WorkerState | None = None


def worker_state(job: Job) -> WorkerState:
    """This process's worker state, created on first use."""
    global _state
    if _state is None:
        _state = WorkerState(job.notebook, pdf="pdf" in job.formats)
    else:
        _state.ensure(job)
    return _state


def warm_up(notebook: str, formats=("html", "pdf")) -> None:
    """Create the worker state ahead of the first report (fork server, browser, exporter)."""
    worker_state(Job("-", 0, "", "", notebook, tuple(formats)))


class _StagePrinter:
    """Wraps the printer to report the PDF stage as it starts."""

    def __init__(self, printer, emit) -> None:
        self.printer, self.emit = printer, emit

    def print_pdf(self, *args, **kwargs):
        self.emit("pdf")
        return self.printer.print_pdf(*args, **kwargs)


def failure_details(nb_path: str | Path) -> dict:
    """Where an executed notebook stopped: template cell index, execution count, first lines, error name and value."""
    try:
        nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    cells = [c for c in nb.get("cells", []) if ERROR_TAG not in c.get("metadata", {}).get("tags", [])]
    index = 0
    found = None
    for c in cells:
        tags = c.get("metadata", {}).get("tags", [])
        status = c.get("metadata", {}).get("papermill", {}).get("status")
        if status in ("failed", "running") or any(o.get("output_type") == "error" for o in c.get("outputs", [])):
            found = c
            break
        if "injected-parameters" not in tags:
            index += 1
    if found is None:
        return {}
    src = found.get("source", "")
    src = "".join(src) if isinstance(src, list) else src
    err = next((o for o in found.get("outputs", []) if o.get("output_type") == "error"), None)
    return {
        "cell_index": index,
        "execution_count": found.get("execution_count"),
        "cell_source": "\n".join(src.strip("\n").splitlines()[:3]),
        "ename": err.get("ename") if err else None,
        "evalue": err.get("evalue") if err else None,
    }


def _log(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text if text.endswith("\n") else text + "\n")


def _save_partial(out: Path) -> None:
    """Keep the notebook Papermill is writing as report.failed.ipynb (snapshotted now if it is running here)."""
    engine = sys.modules.get("xxgk.batch.engine")  # loaded where reports run; never imported just for this
    if engine is not None:
        with contextlib.suppress(Exception):
            engine.snapshot(out)
    tmps = sorted(out.glob(".report.*.tmp.ipynb"), key=lambda p: p.stat().st_mtime)
    if tmps:
        with contextlib.suppress(OSError):
            shutil.copyfile(tmps[-1], out / f".{FAILED_NOTEBOOK}.partial")
            os.replace(out / f".{FAILED_NOTEBOOK}.partial", out / FAILED_NOTEBOOK)


def _kill_own_kernels() -> None:
    """Kill the kernel processes this worker started itself (only used without the fork server)."""
    try:
        import psutil
    except ImportError:
        return
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if "ipykernel" in " ".join(child.cmdline()):
                os.killpg(child.pid, signal.SIGKILL) if hasattr(os, "killpg") else child.kill()


def params_file(job: Job) -> str:
    """The absolute path of a job's params file (recorded in the manifest: a report whose file is gone is stale)."""
    from xxgk.params import params_path

    return str(params_path(Path(job.params_dir).resolve(), job.year, job.agency))


def failed_entry(job: Job, kind: str, message: str) -> dict:
    """The manifest entry of a report whose worker could not report back (killed, died)."""
    out = job.report_dir
    entry = {"agency": job.agency, "year": job.year, "status": FAILED, "params": params_file(job), "inputs": job.inputs,
             "formats": list(job.formats), "stages": {}, "checks": None, "outputs": {},
             "error": {"kind": kind, "message": message, "detail": message}, "finished": now_iso()}  # fmt: skip
    _describe(job, entry)
    if (out / LOG_NAME).is_file():
        entry["outputs"]["log"] = _rel(out / LOG_NAME, job.out_dir)
    if (out / FAILED_NOTEBOOK).is_file():
        entry["outputs"]["failed_notebook"] = _rel(out / FAILED_NOTEBOOK, job.out_dir)
        entry["error"].update(failure_details(out / FAILED_NOTEBOOK))
    return entry


def salvage_partial(job: Job) -> None:
    """After a worker was killed mid-report: keep its partial notebook, drop temporary and stale outputs."""
    out = job.report_dir
    if not out.is_dir():
        return
    _save_partial(out)
    for tmp in out.glob(".*.tmp*"):
        tmp.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        restore_last_good(out, kept_names())
    with contextlib.suppress(OSError):
        _log(out / LOG_NAME, f"worker killed at {now_iso()}; partial notebook kept as {FAILED_NOTEBOOK} if any")


def run_job(job: Job | dict, emit=None) -> dict:
    """Build one report in this process (fresh forked kernel); return its manifest entry. Never raises."""
    if isinstance(job, dict):
        job = Job(**{**job, "formats": tuple(job.get("formats", ()))})
    emit = emit or (lambda stage: None)
    t_start = time.perf_counter()
    out = job.report_dir
    log_path = out / LOG_NAME
    try:  # a full, read-only or foreign output directory fails the report before anything is replaced
        out.mkdir(parents=True, exist_ok=True)
        log_path.write_text(f"xxgk build {job.key} — started {now_iso()} in worker {os.getpid()}\n", encoding="utf-8")
        (out / FAILED_NOTEBOOK).unlink(missing_ok=True)
        keep_last_good(out, kept_names())
    except OSError as exc:
        entry = failed_entry(job, "output", output_error(exc, out))
        entry["outputs"] = {}
        return entry
    entry = {"agency": job.agency, "year": job.year, "status": FAILED, "params": params_file(job), "inputs": job.inputs,
             "formats": list(job.formats), "stages": {}, "checks": None, "outputs": {}, "error": None,
             "worker": os.getpid()}  # fmt: skip
    timed_out = threading.Event()
    km = None
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setLevel(logging.WARNING)
    loggers = [logging.getLogger(n) for n in ("papermill", "nbclient", "traitlets")]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        _describe(job, entry, document=True)
        state = worker_state(job)
        from xxgk.batch import runner
        from xxgk.batch.kernels import fork_kernel_manager

        if state.server is not None:
            km = fork_kernel_manager(state.server, log_path=str(log_path), extra_argv=KERNEL_ARGV)

        def on_timeout():
            timed_out.set()
            _save_partial(out)
            from xxgk.batch.kernels import shutdown

            if km is not None:
                shutdown(km)
            else:  # an ordinary kernel started by Papermill: kill it, Papermill then fails the report
                _kill_own_kernels()

        watchdog = threading.Timer(max(job.timeout, 0.1), on_timeout)
        watchdog.daemon = True
        watchdog.start()
        emit("execute")
        try:
            printer = _StagePrinter(state.printer, emit) if state.printer is not None else None
            result = runner.build_one(
                job.agency, job.year, params_dir=job.params_dir, out_dir=job.out_dir, formats=job.formats,
                notebook=job.notebook, timeout=job.timeout, printer=printer, kernel_manager=km,
            )  # fmt: skip
        finally:
            watchdog.cancel()
        if timed_out.is_set():
            raise TimeoutError(_("report exceeded the time limit of {timeout:g} s").format(timeout=job.timeout))
        kernel_start = getattr(km.provisioner, "launch_seconds", None) if km is not None and km.provisioner else None
        stages = {k: round(v, 3) for k, v in result.seconds.items()}
        if kernel_start is not None and "execute" in stages:
            stages["kernel_start"] = round(kernel_start, 3)
            stages["execute"] = round(max(stages["execute"] - kernel_start, 0.0), 3)
        entry["stages"] = stages
        entry["checks"] = {**result.checks, "gaps": result.status.get("counts", {}).get("gaps", 0)}
        entry.update({k: result.status[k] for k in ("state", "findings", "gaps") if k in result.status})
        entry["outputs"].update({k: _rel(p, job.out_dir) for k, p in result.paths.items()})
        drop_last_good(out)
        entry["status"] = OK
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a manifest entry
        entry["error"] = _classify(exc, out, timed_out.is_set(), job)
        with contextlib.suppress(OSError):
            _log(log_path, "".join(traceback.format_exception(exc)))
        with contextlib.suppress(OSError):
            restore_last_good(out, kept_names())  # the last good publication stays in place
        if isinstance(exc, KeyboardInterrupt):
            raise
    finally:
        if km is not None:
            from xxgk.batch.kernels import shutdown

            shutdown(km)
        for lg in loggers:
            lg.removeHandler(handler)
        handler.close()
    if _state is not None and job.inputs.get("lib") not in (None, _state.lib):
        # built by older library code than planned: record what was used, so the next run rebuilds it
        inputs = {k: v for k, v in job.inputs.items() if k != "hash"} | {"lib": _state.lib}
        entry["inputs"] = {**inputs, "hash": input_hash(inputs)}
        entry["warning"] = "this worker runs an older version of the xxgk library; restart the workers"
        _log(log_path, f"warning: {entry['warning']}")
    entry["stages"]["total"] = round(time.perf_counter() - t_start, 3)
    entry["outputs"]["log"] = _rel(log_path, job.out_dir)
    if (out / FAILED_NOTEBOOK).is_file():
        entry["outputs"]["failed_notebook"] = _rel(out / FAILED_NOTEBOOK, job.out_dir)
    entry["finished"] = now_iso()
    with contextlib.suppress(OSError):
        _log(log_path, f"{entry['status']} in {entry['stages']['total']:.2f} s; stages {entry['stages']}")
    return entry


def _describe(job: Job, entry: dict, document: bool = False) -> None:
    """Agency name, level and format for the index page (from the params file when it loads); with
    ``document``, also save the report's interchange document (``report.json``, read by the site)."""
    from xxgk.params import ParamsError, load_params, params_path

    try:
        r = load_params(params_path(job.params_dir, job.year, job.agency))
    except ParamsError:
        return
    entry.update(name=r.agency.name, level=r.agency.level, format=r.format_id)
    if document:
        from xxgk.interchange import dumps
        from xxgk.params_write import write_text_atomic

        entry["outputs"]["document"] = _rel(write_text_atomic(job.report_dir / DOC_NAME, dumps(r)), job.out_dir)


def _rel(path, root) -> str:
    p, r = Path(path).resolve(), Path(root).resolve()
    try:
        return p.relative_to(r).as_posix()
    except ValueError:
        return str(p)


def kept_names() -> tuple[str, ...]:
    """The files of a build that a failed rebuild puts back as they were: every output and the saved document."""
    return (*OUTPUT_NAMES.values(), DOC_NAME)


def _classify(exc: BaseException, out: Path, timed_out: bool, job: Job) -> dict:
    from xxgk.errors import UserError

    name = type(exc).__name__
    message = str(exc).strip() or name
    details = failure_details(out / FAILED_NOTEBOOK) if (out / FAILED_NOTEBOOK).is_file() else {}
    if timed_out:
        kind = "timeout"
        message = f"time limit of {job.timeout:g} s exceeded"
    elif "timed out" in message:  # Papermill's per-cell limit (the same value) fired first
        kind = "timeout"
    elif name == "DeadKernelError":
        kind = "kernel-died"
    elif name == "ParamsError":
        kind = "params"
    elif isinstance(exc, OSError) and exc.errno in OUTPUT_ERRNOS:
        kind = "output"
        message = output_error(exc, out)
    elif details:
        kind = "cell"
    elif isinstance(exc, UserError):
        kind = "build"
    else:
        kind = "internal"
        message = f"{name}: {message}"
    return {"kind": kind, "message": message.splitlines()[0][:500], "detail": message[:4000], **details}
