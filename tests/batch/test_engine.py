"""The xxgk Papermill engine, with real kernels: throttled snapshots, a valid final notebook, what ran kept on a
dead kernel or a time-out (the interrupted cell marked failed), and on-demand snapshots from another thread."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from nbclient.exceptions import DeadKernelError

from xxgk.batch import engine
from xxgk.batch.worker import failure_details

pytestmark = pytest.mark.slow

#: prints how many cells the notebook file on disk shows as completed while this cell runs
ON_DISK = """\
import json
cells = json.load(open(out, encoding="utf-8"))["cells"]
print("ON_DISK", sum(c["metadata"]["papermill"]["status"] == "completed" for c in cells))"""


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('out = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _run(template: Path, out: Path, **kwargs):
    return pm.execute_notebook(str(template), str(out), parameters={"out": str(out)}, progress_bar=False,
                               kernel_name="python3", engine_name=engine.register(), cwd=str(out.parent),
                               **kwargs)  # fmt: skip


def _stdout(cell) -> str:
    texts = [o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout"]
    return "".join("".join(t) if isinstance(t, list) else t for t in texts)  # nbformat on disk splits lines


def test_snapshots_are_throttled_and_the_final_notebook_is_nbformat(tmp_path):
    template = _notebook(tmp_path / "t.ipynb", "x = 1", "print('两个')", ON_DISK)
    out = tmp_path / "out.ipynb"
    _run(template, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith('{\n "cells": [')  # written by nbformat (Papermill's final write), not a snapshot
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    assert [c.metadata.papermill.status for c in nb.cells] == ["completed"] * 5
    assert _stdout(nb.cells[3]) == "两个\n"
    assert _stdout(nb.cells[4]) == "ON_DISK 0\n"  # only the start was written while cells ran (< 3 s)
    assert not list(tmp_path.glob("*.part*"))

    eager = tmp_path / "eager.ipynb"
    _run(template, eager, save_every=0)  # a snapshot at every cell start and end
    assert _stdout(nbformat.read(eager, as_version=4).cells[4]) == "ON_DISK 4\n"


def test_dead_kernel_keeps_what_ran_and_marks_the_cell(tmp_path):
    template = _notebook(tmp_path / "t.ipynb", "print('before')", "import os\nos._exit(3)", "print('never')")
    out = tmp_path / "out.ipynb"
    with pytest.raises(DeadKernelError):
        _run(template, out)
    nb = nbformat.read(out, as_version=4)  # valid nbformat, written by the engine
    nbformat.validate(nb)
    assert _stdout(nb.cells[2]) == "before\n"
    assert [c.metadata.papermill.status for c in nb.cells] == ["completed", "completed", "completed", "failed",
                                                               "pending"]  # fmt: skip
    assert nb.metadata.papermill.exception is True
    details = failure_details(out)  # template cell index: the injected parameters are not counted
    assert details["cell_index"] == 2 and details["cell_source"] == "import os\nos._exit(3)"


def test_cell_timeout_keeps_what_ran(tmp_path):
    template = _notebook(tmp_path / "t.ipynb", "print('before', flush=True)", "import time\ntime.sleep(30)", "1")
    out = tmp_path / "out.ipynb"
    t0 = time.monotonic()
    with pytest.raises(TimeoutError):
        _run(template, out, execution_timeout=2)
    assert time.monotonic() - t0 < 25
    nb = json.loads(out.read_text(encoding="utf-8"))
    assert _stdout(nb["cells"][2]) == "before\n"
    assert [c["metadata"]["papermill"]["status"] for c in nb["cells"]][3:] == ["failed", "pending"]


def test_snapshot_from_another_thread_while_a_cell_runs(tmp_path):
    template = _notebook(tmp_path / "t.ipynb", "print('半路', flush=True)\nimport time\ntime.sleep(3)", "print('end')")
    out = tmp_path / "out.ipynb"
    done = threading.Event()
    errors = []

    def run():
        try:
            _run(template, out, save_every=3600)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    seen = None
    deadline = time.monotonic() + 60
    while not done.is_set() and time.monotonic() < deadline:
        if engine.snapshot(tmp_path):
            cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
            if "半路" in _stdout(cells[2]):  # 0: parameters, 1: injected parameters
                seen = cells
                break
        time.sleep(0.1)
    assert seen is not None, "no snapshot showed the running cell"
    assert seen[2]["metadata"]["papermill"]["status"] == "running"
    assert seen[3]["metadata"]["papermill"]["status"] == "pending"
    assert done.wait(60) and not errors
    assert engine.snapshot(tmp_path) == 0  # the run is over: nothing overwrites the final notebook
    nb = nbformat.read(out, as_version=4)
    assert _stdout(nb.cells[3]) == "end\n" and nb.cells[2].metadata.papermill.status == "completed"
