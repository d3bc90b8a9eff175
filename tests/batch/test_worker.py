"""The per-report task's helpers: the time limit's partial notebook while a report runs, and the imports a
worker process skips."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import nbformat
import pytest

from tests.render.reports import write_params
from xxgk.batch import worker
from xxgk.batch.runner import build_one


@pytest.mark.slow
def test_save_partial_snapshots_the_running_report(tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('agency = "x"\nyear = 2020\nparams_dir = "params"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print('半路', flush=True)\nimport time\ntime.sleep(4)"),
                nbformat.v4.new_code_cell("from IPython.display import HTML, display\n"
                                          "display(HTML('<h1>题</h1>'), metadata={'xxgk': {'title': '题'}})")]  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    template = tmp_path / "t.ipynb"
    nbformat.write(nb, template)
    out_dir = tmp_path / "out"
    out = out_dir / "2020" / "yuyao-commerce"
    done = threading.Event()

    def run():
        try:
            build_one("yuyao-commerce", 2020, params_dir=write_params(tmp_path / "params"), out_dir=out_dir,
                      notebook=template, formats=("html",))  # fmt: skip
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    partial = None
    deadline = time.monotonic() + 60
    while partial is None and not done.is_set() and time.monotonic() < deadline:
        time.sleep(0.2)
        if out.is_dir():
            worker._save_partial(out)  # what the time limit does before it kills the kernel
        failed = out / worker.FAILED_NOTEBOOK
        cells = json.loads(failed.read_text(encoding="utf-8"))["cells"] if failed.is_file() else []
        if len(cells) == 4 and "半路" in json.dumps(cells[2]["outputs"], ensure_ascii=False):  # 1: injected
            partial = cells
    assert partial is not None, "the partial notebook never showed the running cell"
    assert [c["metadata"]["papermill"]["status"] for c in partial] == ["completed", "completed",
                                                                                "running", "pending"]  # fmt: skip
    assert worker.failure_details(out / worker.FAILED_NOTEBOOK)["cell_index"] == 1
    assert done.wait(60)
    assert (out / "report.html").is_file() and not (out / worker.FAILED_NOTEBOOK).exists()  # success clears it


def test_worker_skips_the_iri_grammar_and_still_validates():
    code = (
        "import sys\nfrom xxgk.batch.worker import skip_unused_imports\nskip_unused_imports()\n"
        "import nbformat\nnb = nbformat.v4.new_notebook()\nnbformat.validate(nb)\n"
        "nb.cells.append({'cell_type': 'code'})\n"
        "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    print('invalid')\n"
        "print(sorted(n for n in ('rfc3987_syntax', 'lark') if sys.modules.get(n)))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["invalid", "[]"]
