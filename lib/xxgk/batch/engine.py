"""A Papermill engine that saves the running notebook cheaply (``engine_name="xxgk"``).

Papermill's own engine writes the whole notebook (deep copy, schema validation, indented JSON) at the start,
when every cell starts and ends, and at the end: about 30 full writes per report, half of the worker's CPU.
This engine writes a compact-JSON snapshot when the notebook starts and then at most every ``save_every``
seconds as cells start and end. What must be kept is still kept:

* on success (and on a failing cell) Papermill itself writes the final notebook with nbformat, as before;
* on any other exception (a cell time-out, a dead or killed kernel) the engine writes what ran, the cell
  that was running marked ``failed``, before re-raising;
* ``snapshot(directory)`` writes the current state of the runs writing into a directory from any thread:
  the whole-report time limit calls it before it kills the kernel.

Every write goes to a temporary name first and is renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

ENGINE_NAME = "xxgk"
SAVE_EVERY = 3.0  # seconds between snapshots while cells run (the start and the end are always written)

_active: dict[str, SnapshotManager] = {}
_active_lock = threading.Lock()


def _write_atomic(path: str, text: str) -> None:
    part = f"{path}.part{threading.get_ident()}"  # not matched by the ``.report.*.tmp.ipynb`` glob
    try:
        with open(part, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise


def _compact(nb) -> str:
    """The notebook as compact JSON (valid nbformat; the C encoder, no copy, no validation)."""
    for attempt in range(3):
        try:
            return json.dumps(nb, ensure_ascii=False)
        except RuntimeError:  # mutated by the executing thread meanwhile: try again
            if attempt == 2:
                raise
            time.sleep(0.01)
    raise AssertionError("unreachable")


class SnapshotManager(NotebookExecutionManager):
    """Papermill's execution manager with throttled, cheap, thread-safe saves."""

    def __init__(self, *args, save_every: float = SAVE_EVERY, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.save_every = save_every
        self._interrupted: tuple[int | None, BaseException | None] = (None, None)  # cell left by an exception
        self._lock = threading.Lock()
        self._last = float("-inf")
        self._finishing = self._closed = False

    def write(self, text: str | None = None) -> bool:
        """Write the notebook now (compact JSON unless ``text`` is given); False once the run is over."""
        with self._lock:
            if self._closed or not self.output_path:
                return False
            _write_atomic(self.output_path, _compact(self.nb) if text is None else text)
            self._last = time.monotonic()
            self.last_save_time = self.now()
            return True

    def save(self, **kwargs) -> None:
        """Write a snapshot if ``save_every`` seconds passed since the last one (Papermill calls this often)."""
        if kwargs.get("nb") is not None:
            self.nb = kwargs["nb"]
        if not self._finishing and time.monotonic() - self._last >= self.save_every:
            self.write()

    def cell_complete(self, cell, cell_index=None, **kwargs) -> None:
        """Finalise a cell's metadata (and maybe snapshot); remember it if an exception is leaving it."""
        exc = sys.exc_info()[1]  # set while Papermill's ``finally`` runs for a time-out or a dead kernel
        if exc is not None:
            self._interrupted = (cell_index, exc)
        super().cell_complete(cell, cell_index, **kwargs)

    def finish(self, exc: BaseException | None) -> None:
        """Finalise the metadata; after an exception write what ran, the interrupted cell marked failed."""
        self._finishing = True  # notebook_complete's own save is skipped
        index, left_by = self._interrupted
        if exc is not None and left_by is exc and index is not None and 0 <= index < len(self.nb.cells):
            meta = self.nb.cells[index].metadata.papermill  # failed: later cells then stay pending
            meta["status"], meta["exception"] = self.FAILED, True
            self.nb.metadata.papermill["exception"] = True
        try:
            self.notebook_complete()
            if exc is not None:  # Papermill writes nothing after this: keep what ran, in nbformat's layout
                import nbformat

                try:
                    text = nbformat.v4.writes(self.nb)
                except Exception:  # noqa: BLE001 - a compact snapshot is better than none
                    text = None
                with contextlib.suppress(Exception):  # never mask the exception being handled
                    self.write(text)
        finally:
            with self._lock:
                self._closed = True


class XxgkEngine(NBClientEngine):
    """NBClientEngine with a SnapshotManager: cheap periodic saves, a full save on any exception."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                         autosave_cell_every=30, save_every=SAVE_EVERY, **kwargs):  # fmt: skip
        """Run the notebook; Papermill writes the final notebook, the engine snapshots and saves on errors."""
        nb_man = SnapshotManager(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                 autosave_cell_every=autosave_cell_every, save_every=save_every)  # fmt: skip
        key = str(Path(output_path).resolve()) if output_path else None
        if key:
            with _active_lock:
                _active[key] = nb_man
        try:
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            except BaseException as exc:
                nb_man.cleanup_pbar()
                nb_man.finish(exc)
                raise
            nb_man.cleanup_pbar()
            nb_man.finish(None)
        finally:
            if key:
                with _active_lock:
                    _active.pop(key, None)
        return nb_man.nb


def snapshot(directory: str | Path) -> int:
    """Write the current state of every run whose notebook goes into ``directory``; return how many."""
    root = Path(directory).resolve()
    with _active_lock:
        managers = [m for path, m in _active.items() if Path(path).parent == root]
    done = 0
    for manager in managers:
        with contextlib.suppress(Exception):  # best effort: the caller falls back to the last snapshot
            done += manager.write()
    return done


def register() -> str:
    """Register the engine with Papermill (idempotent); return its name."""
    papermill_engines.register(ENGINE_NAME, XxgkEngine)
    return ENGINE_NAME
