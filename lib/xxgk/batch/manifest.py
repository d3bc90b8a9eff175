"""The build manifest ``<out>/manifest.json``: per report its inputs' hash, status, stage times, checker summary
and outputs; what decides that a report is up to date.

A report is up to date when its entry says ``ok``, the hash of its inputs is unchanged (its params file, last
year's params file, the notebook, the library sources, the format definitions, the requested formats) and
every output it recorded is on disk. The file is rewritten atomically whenever a report starts or finishes,
so an interrupted batch resumes with exactly the reports that are missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.params_write import write_text_atomic

SCHEMA = "xxgk.batch-manifest/1"
FILENAME = "manifest.json"
LOCKNAME = ".xxgk-build.lock"
OK, FAILED, RUNNING = "ok", "failed", "running"
_LIB_SUFFIXES = {".py", ".yaml", ".yml", ".j2", ".json", ".css", ".js", ".html", ".tpl", ".ttf", ".otf", ".woff2"}
#: parts of the package that never run while a report is built (commands, batch orchestration, ingestion,
#: the site): editing them does not make reports out of date
NOT_REPORT_INPUTS = ("cli.py", "demo.py", "demo_text.py", "newyear.py", "ingest/", "site/", "batch/command.py", "batch/plan.py",
                     "batch/progress.py", "batch/executors.py", "batch/manifest.py", "batch/doctor.py")  # fmt: skip


def file_digest(path: str | Path | None) -> str:
    """SHA-256 (16 hex) of a file's bytes; '-' when there is no file."""
    if path is None:
        return "-"
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except FileNotFoundError:
        return "-"


@functools.cache
def lib_digest() -> str:
    """Hash of the library's sources: every code, template and data file of the ``xxgk`` package that can
    take part in building a report (``NOT_REPORT_INPUTS`` excepted)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if any(rel == x or (x.endswith("/") and rel.startswith(x)) for x in NOT_REPORT_INPUTS):
            continue
        if p.suffix in _LIB_SUFFIXES and p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def input_hash(inputs: dict) -> str:
    """One hash over a report's input digests (order independent)."""
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def report_key(year: int, agency: str) -> str:
    """The manifest key of a report: ``<year>/<agency>``."""
    return f"{year}/{agency}"


def now_iso() -> str:
    """The current local time, ISO 8601 to the second."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Manifest:
    """The manifest of one output directory; entries keyed by ``<year>/<agency>``."""

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / FILENAME
        self.reports: dict[str, dict] = {}
        self.site: dict[str, dict] = {}
        self.updated: str | None = None
        self._load()

    def _load(self) -> None:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no manifest or an unreadable one: everything is rebuilt
        if isinstance(doc, dict) and doc.get("schema") == SCHEMA:
            self.reports = {k: v for k, v in (doc.get("reports") or {}).items() if isinstance(v, dict)}
            self.site = doc.get("site") or {}
            self.updated = doc.get("updated")

    def to_dict(self) -> dict:
        """The JSON document."""
        return {"schema": SCHEMA, "updated": self.updated, "reports": dict(sorted(self.reports.items())),
                "site": self.site}  # fmt: skip

    def save(self) -> None:
        """Write the manifest atomically (OutputError, the old file kept, when the directory cannot be written)."""
        self.updated = now_iso()
        try:
            write_text_atomic(self.path, self.text())
        except OSError as exc:
            from xxgk.batch.outputs import OutputError, output_error

            raise OutputError(_("{output_error}; the previous manifest and every existing output are unchanged").format(output_error=output_error(exc))) from None

    def text(self) -> str:
        """The manifest as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def up_to_date(self, key: str, inputs_hash: str) -> bool:
        """Whether a report was built from these inputs and all its outputs are still on disk."""
        e = self.reports.get(key)
        if not e or e.get("status") != OK or e.get("inputs", {}).get("hash") != inputs_hash:
            return False
        outputs = e.get("outputs") or {}
        return bool(outputs) and all((self.out_dir / rel).is_file() for rel in outputs.values())

    def mark_running(self, keys) -> None:
        """Record that these reports are being (re)built; a run killed now leaves them not up to date."""
        changed = False
        for key in keys:
            e = self.reports.get(key)
            if e is not None and e.get("status") != RUNNING:
                e["status"] = RUNNING
                changed = True
        if changed:
            self.save()

    def record(self, key: str, entry: dict, save: bool = True, before: dict | None = None) -> None:
        """Store a finished report's entry (and save). A failed rebuild keeps what was published before it
        (``before``: the entry as it was when the run started): its outputs stay listed, marked stale."""
        if entry.get("status") == FAILED and before:
            entry = with_last_good(entry, before, self.out_dir)
        self.reports[key] = entry
        if save:
            self.save()

    def statuses(self) -> dict[str, str]:
        """Key → status of every report in the manifest."""
        return {k: e.get("status", "?") for k, e in self.reports.items()}


def mark_stale(manifest: Manifest) -> None:
    """Mark every entry whose params file no longer exists as stale (its files kept); unmark those back again."""
    for e in manifest.reports.values():
        p = e.get("params")
        gone = bool(p) and not Path(p).is_file()
        stale = e.get("stale") or {}
        if gone and stale.get("reason") != "params-missing":
            e["stale"] = {"reason": "params-missing", "message": f"params file {p} no longer exists", "since": now_iso()}
        elif not gone and stale.get("reason") == "params-missing":
            del e["stale"]


def prune(manifest: Manifest) -> list[str]:
    """Remove the reports whose params file no longer exists: their output folders and manifest entries."""
    msgs = []
    root = manifest.out_dir.resolve()
    for key, e in sorted(manifest.reports.items()):
        if (e.get("stale") or {}).get("reason") != "params-missing":
            continue
        folder = (root / key).resolve()
        if folder.is_relative_to(root) and folder != root and folder.is_dir():
            import shutil

            shutil.rmtree(folder)
            msgs.append(_("pruned {key}: its params file {params} is gone; removed {folder}").format(key=key, params=e.get('params'), folder=folder))
        else:
            msgs.append(_("pruned {key}: its params file {params} is gone; it had no output folder").format(key=key, params=e.get('params')))
        del manifest.reports[key]
    if msgs:
        manifest.save()
    return msgs


#: what a failed rebuild keeps of the last good build: its outputs and what the site says about it
PUBLISHED_KEYS = ("finished", "state", "checks", "findings", "gaps", "format")
SITE_OUTPUTS = ("log", "failed_notebook")


def with_last_good(entry: dict, before: dict, out_dir: Path) -> dict:
    """A failed entry carrying the publication of the last good build (``published``) and a stale mark."""
    published = before.get("published")  # an earlier failed rebuild already kept it
    if not published and before.get("status") in (OK, RUNNING) and before.get("checks") is not None:
        published = {k: before.get(k) for k in PUBLISHED_KEYS}
        published["outputs"] = {k: v for k, v in (before.get("outputs") or {}).items() if k not in SITE_OUTPUTS}
    if not published:
        return entry
    outputs = {k: v for k, v in published["outputs"].items() if (out_dir / v).is_file()}
    if not outputs:
        return entry
    message = (entry.get("error") or {}).get("message") or "build failed"
    return {**entry, "outputs": {**outputs, **(entry.get("outputs") or {})}, "published": {**published, "outputs": outputs},
            "stale": {"reason": "build-failed", "message": message, "since": entry.get("finished") or now_iso()}}  # fmt: skip


@contextlib.contextmanager
def build_lock(out_dir: str | Path):
    """Hold ``<out>/.xxgk-build.lock`` for a run; a second build of the same output directory is refused.

    The lock is an OS file lock: a killed run releases it with its process, nothing stale remains.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCKNAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; run unguarded
            fcntl = None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
                raise UserError(_("another xxgk build (pid {holder}) is writing to {out}; wait for it to finish").format(holder=holder, out=out)) from None
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
