"""Clean templates: the pre-save hook through a real Jupyter server, and the output-blind notebook digest."""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from tests.render.reports import ROOT
from xxgk.nbclean import is_template, notebook_digest, strip_outputs

TEMPLATE = ROOT / "notebooks" / "report.ipynb"
SERVER_CONFIG = ROOT / "etc" / "jupyter" / "jupyter_server_config.d" / "xxgk.json"  # what scripts/setup.sh installs


def _with_outputs(nb: dict) -> dict:
    """A copy of the notebook as JupyterLab holds it after a run: outputs, counts, timings, kernel details."""
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = i + 1
        cell["outputs"] = [{"output_type": "display_data", "metadata": {"xxgk_part": "analysis"},
                            "data": {"text/html": f"<p>输出{i}</p>", "text/plain": "x"}}]  # fmt: skip
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    return nb


def _template() -> dict:
    return json.loads(TEMPLATE.read_text(encoding="utf-8"))


def test_template_is_marked_and_stored_clean():
    nb = _template()
    assert is_template(nb)
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in nb["cells"] if c["cell_type"] == "code")


def test_strip_outputs_only_templates():
    model = {"type": "notebook", "content": _with_outputs(_template())}
    strip_outputs(model)
    code = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert code[0]["source"] == _template()["cells"][1]["source"]  # the code stays
    executed = _with_outputs(_template())
    executed["metadata"]["papermill"] = {"parameters": {}}  # a built report.ipynb keeps its outputs
    other = _with_outputs(_template())
    del other["metadata"]["xxgk"]  # an ordinary notebook
    for nb in (executed, other):
        before = copy.deepcopy(nb)
        strip_outputs({"type": "notebook", "content": nb})
        assert nb == before
    assert strip_outputs({"type": "file", "content": "x"}) == {"type": "file", "content": "x"}


def test_digest_ignores_outputs_counts_and_ui_state(tmp_path):
    ran = tmp_path / "ran.ipynb"
    ran.write_text(json.dumps(_with_outputs(_template()), ensure_ascii=False, indent=2), encoding="utf-8")
    assert ran.read_bytes() != TEMPLATE.read_bytes()
    assert notebook_digest(ran) == notebook_digest(TEMPLATE)
    changed = _template()
    changed["cells"][2]["source"] = ["report = None"]
    edited = tmp_path / "edited.ipynb"
    edited.write_text(json.dumps(changed), encoding="utf-8")
    assert notebook_digest(edited) != notebook_digest(TEMPLATE)
    retagged = _template()
    retagged["cells"][1]["metadata"]["tags"] = []  # the parameters tag matters to Papermill
    edited.write_text(json.dumps(retagged), encoding="utf-8")
    assert notebook_digest(edited) != notebook_digest(TEMPLATE)
    assert notebook_digest(tmp_path / "missing.ipynb") == "-"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, path: str, token: str, method: str = "GET", body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{base}/api/contents/{path}", data=data, method=method,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(req, timeout=20) as resp:
        return json.loads(resp.read())


@pytest.fixture
def server(tmp_path):
    """A real Jupyter server whose only config is the project's (as scripts/setup.sh installs it)."""
    cfg, root = tmp_path / "config", tmp_path / "root"
    (cfg / "jupyter_server_config.d").mkdir(parents=True)
    shutil.copy(SERVER_CONFIG, cfg / "jupyter_server_config.d" / "xxgk.json")
    root.mkdir()
    port, token = _free_port(), "xxgk-test-token"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(cfg), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
                             "--ip=127.0.0.1", "--allow-root", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _api(base, "", token)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.2)
        yield base, token, root
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    assert "xxgk.nbclean | extension was successfully loaded" in (tmp_path / "server.log").read_text()


@pytest.mark.slow
def test_saving_through_jupyter_leaves_no_outputs(server):
    base, token, root = server
    shutil.copy(TEMPLATE, root / "report.ipynb")
    model = _api(base, "report.ipynb", token)
    assert model["type"] == "notebook"
    ran = _with_outputs(model["content"])
    _api(base, "report.ipynb", token, "PUT", {"type": "notebook", "format": "json", "content": ran})
    saved = nbformat.read(root / "report.ipynb", as_version=4)
    code = [c for c in saved.cells if c.cell_type == "code"]
    n = sum(c["cell_type"] == "code" for c in _template()["cells"])
    assert len(code) == n and all(c.outputs == [] and c.execution_count is None for c in code)
    assert notebook_digest(root / "report.ipynb") == notebook_digest(TEMPLATE)
    # another notebook is saved as it is
    other = copy.deepcopy(ran)
    del other["metadata"]["xxgk"]
    _api(base, "scratch.ipynb", token, "PUT", {"type": "notebook", "format": "json", "content": other})
    scratch = nbformat.read(root / "scratch.ipynb", as_version=4)
    assert [c.execution_count for c in scratch.cells if c.cell_type == "code"] == list(range(1, n + 1))
