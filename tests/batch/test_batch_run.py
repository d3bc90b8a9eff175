"""Real batches (``xxgk build`` in a subprocess, real kernels): isolation, failures, time-outs, a dead kernel,
the manifest, incremental rebuilds and resuming after ``kill -9``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from xxgk.demo import generate
from xxgk.params import params_path
from xxgk.params_write import save_params

pytestmark = pytest.mark.slow
PROBE = """\
import os, time, matplotlib
before = globals().get("LEAK")
print("PROBE", os.getpid(), os.getcwd(), repr(before), matplotlib.rcParams["lines.linewidth"])
LEAK = agency
matplotlib.rcParams["lines.linewidth"] = 7.5"""


def probe_notebook(path: Path) -> Path:
    """A small template: prints its pid, cwd and any leaked state; fails, sleeps or dies on agency suffixes."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('agency = "x"\nyear = 2021\nparams_dir = "params"\nshow_checks = True')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(PROBE),
        nbformat.v4.new_code_cell('from IPython.display import HTML, display\n'
                                  'display(HTML(f"<p>{agency} {year}</p>"), metadata={"xxgk": {"title": agency}})'),
        nbformat.v4.new_code_cell('if agency.endswith("-raise"):\n    raise ValueError(f"故意失败 {agency}")'),
        nbformat.v4.new_code_cell('if agency.endswith("-slow"):\n    time.sleep(60)\nif "nap" in agency:\n    time.sleep(1.5)'),
        nbformat.v4.new_code_cell('if agency.endswith("-die"):\n    os._exit(3)'),
    ]  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def make_params(root: Path, ids: list[str], years=(2022,)) -> Path:
    """Demo params files under chosen agency ids."""
    for report, aid in zip(generate(len(ids), years, seed=4), [i for i in ids for _ in years]):
        report.agency.id = aid
        report.members = []  # the demo's consolidated report, renamed: its members are gone
        save_params(report, params_path(root, report.year, aid))
    return root


def xxgk(*args, timeout=240) -> subprocess.CompletedProcess:
    """Run the CLI as a user would."""
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip


def lib_now() -> str:
    """The library digest as a new build would compute it."""
    from xxgk.batch.manifest import lib_digest

    lib_digest.cache_clear()
    return lib_digest()


def rerun(args, out: Path, change=lambda attempt: None) -> subprocess.CompletedProcess:
    """Run a build again (after ``change``) expecting incremental behaviour. A library file edited meanwhile
    (other work in the same checkout) legitimately rebuilds everything, so that case is retried."""
    for attempt in range(4):
        change(attempt)
        recorded = {
            e["inputs"].get("lib")
            for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"].values()
        }
        before = lib_now()
        r = xxgk(*args)
        if recorded == {before} and lib_now() == before:
            return r
    pytest.fail("the library sources kept changing during the test")


def probe_lines(out: Path, year: int, agency: str) -> list[str]:
    nb = json.loads((out / str(year) / agency / "report.ipynb").read_text(encoding="utf-8"))
    text = "".join(
        "".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []) if o.get("name") == "stdout"
    )
    return [ln.split() for ln in text.splitlines() if ln.startswith("PROBE")][0]


def test_isolation_failures_and_manifest(tmp_path):
    params = make_params(tmp_path / "params", ["a-ok", "b-raise", "c-ok", "d-die"])
    nb = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    r = xxgk("build", "--params", params, "--out", out, "--notebook", nb, "--formats", "html", "--jobs", 1,
             "--quiet", "--no-site")  # fmt: skip
    assert r.returncode == 1, r.stdout + r.stderr
    # the others were built; each report ran in a fresh kernel process in its own folder, nothing leaked
    a, c = probe_lines(out, 2022, "a-ok"), probe_lines(out, 2022, "c-ok")
    assert a[1] != c[1]
    assert a[2].endswith("2022/a-ok") and c[2].endswith("2022/c-ok")
    assert a[3:] == c[3:] == ["None", "1.5"]
    assert (out / "2022" / "c-ok" / "report.html").is_file()
    # the failing report: summary names agency, year, cell index, its first lines and the error
    assert "2022 b-raise" in r.stderr and "cell 3" in r.stderr and "ValueError: 故意失败 b-raise" in r.stderr
    assert 'if agency.endswith("-raise"):' in r.stderr
    assert "2022 d-die" in r.stderr and "kernel-died" in r.stderr
    failed = out / "2022" / "b-raise" / "report.failed.ipynb"
    assert failed.is_file() and not (out / "2022" / "b-raise" / "report.html").exists()
    assert "PROBE" in failed.read_text(encoding="utf-8")  # the cells before the failure ran and were kept
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    ok, bad = m["reports"]["2022/a-ok"], m["reports"]["2022/b-raise"]
    assert (
        ok["status"] == "ok"
        and ok["inputs"]["hash"]
        and ok["checks"] == {"errors": 0, "warnings": 0, "not_assessable": 0, "gaps": 0} and ok["state"] == "clean"
    )
    assert set(ok["stages"]) >= {"kernel_start", "execute", "html", "total"}
    assert ok["outputs"]["html"] == "2022/a-ok/report.html" and ok["name"].endswith("（示例）")
    assert bad["status"] == "failed" and bad["error"]["kind"] == "cell" and bad["error"]["cell_index"] == 3
    assert m["reports"]["2022/d-die"]["error"]["kind"] == "kernel-died"
    log = (out / "2022" / "b-raise" / "build.log").read_text(encoding="utf-8")
    assert "故意失败" in log


def test_incremental_rebuild_and_timeout(tmp_path):
    params = make_params(tmp_path / "params", ["a-ok", "b-ok"], years=(2021, 2022))
    nb = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    args = ("build", "--params", params, "--out", out, "--notebook", nb, "--formats", "html", "--jobs", 2,
            "--quiet", "--no-site")  # fmt: skip
    first = xxgk(*args)
    assert first.returncode == 0, first.stderr
    assert "4 to build" in first.stdout
    again = rerun(args, out)
    assert again.returncode == 0 and "4 up to date" in again.stdout and "0 to build" in again.stdout
    p = params / "2021" / "b-ok.yaml"
    text = p.read_text(encoding="utf-8")
    third = rerun(args, out, lambda i: p.write_text(text.replace("（示例）", f"（示例改{i}）", 1), encoding="utf-8"))
    assert "2 up to date" in third.stdout and "2 to build" in third.stdout
    assert (
        "2021/b-ok" in third.stdout
        and "2022/b-ok" in third.stdout
        and "a-ok" not in third.stdout.split("to build", 1)[1]
    )
    # time limit: the kernel is killed, the report fails, the partial notebook is kept
    slow = make_params(tmp_path / "slow", ["s-slow"])
    t0 = time.monotonic()
    r = xxgk("build", "--params", slow, "--out", out, "--notebook", nb, "--formats", "html", "--timeout", 4,
             "--quiet", "--no-site")  # fmt: skip
    assert r.returncode == 1 and time.monotonic() - t0 < 45
    e = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]["2022/s-slow"]
    assert e["error"]["kind"] == "timeout" and "4 s" in r.stderr
    assert (out / "2022" / "s-slow" / "report.failed.ipynb").is_file()
    assert e["error"]["cell_source"].startswith('if agency.endswith("-slow"):')  # the cell that was running


def test_kill_9_then_resume(tmp_path):
    ids = [f"n{i}-nap" for i in range(5)]
    params = make_params(tmp_path / "params", ids)
    nb = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "xxgk.cli", "build", "--params", str(params), "--out", str(out), "--notebook", str(nb),
           "--formats", "html", "--jobs", "1", "--quiet", "--no-site"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    manifest = out / "manifest.json"
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline:
        if manifest.is_file():
            done = sum(
                e.get("status") == "ok" for e in json.loads(manifest.read_text(encoding="utf-8"))["reports"].values()
            )
            if done >= 2:
                break
        time.sleep(0.2)
    assert done >= 2
    tree = psutil.Process(proc.pid).children(recursive=True)  # workers, fork servers, kernels
    assert tree
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    gone, alive = psutil.wait_procs(tree, timeout=15)  # they die with their parents
    assert not alive, [p.cmdline() for p in alive]
    m = json.loads(manifest.read_text(encoding="utf-8"))["reports"]
    finished = {k for k, e in m.items() if e["status"] == "ok"}
    assert 2 <= len(finished) < 5
    for k in finished:  # what the manifest calls finished is complete on disk
        assert (out / k / "report.ipynb").is_file() and (out / k / "report.html").is_file()
    assert lib_now() in {e["inputs"]["lib"] for e in m.values()}, "library edited during the test"
    r = xxgk(*cmd[3:])
    assert r.returncode == 0, r.stderr
    assert f"{len(finished)} up to date" in r.stdout and f"{5 - len(finished)} to build" in r.stdout
    m = json.loads(manifest.read_text(encoding="utf-8"))["reports"]
    assert all(e["status"] == "ok" for e in m.values()) and len(m) == 5


def test_fail_fast_and_a_worker_that_cannot_start(tmp_path):
    params = make_params(tmp_path / "params", ["a-raise", "b-ok", "c-ok"])
    nb = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    r = xxgk("build", "--params", params, "--out", out, "--notebook", nb, "--formats", "html", "--jobs", 1,
             "--fail-fast", "--quiet", "--no-site")  # fmt: skip
    assert r.returncode == 1 and "0 built, 1 failed, 2 not run (--fail-fast)" in r.stdout, r.stdout + r.stderr
    assert not (out / "2022" / "c-ok" / "report.html").exists()
    env_bad = {**os.environ, "XXGK_CHROMIUM": str(tmp_path / "no-such-browser")}
    bad = subprocess.run([sys.executable, "-m", "xxgk.cli", "build", "--params", str(params), "--out", str(out),
                          "--notebook", str(nb), "--formats", "html,pdf", "--quiet", "--no-site"],
                         capture_output=True, text=True, timeout=120, env=env_bad)  # fmt: skip
    assert bad.returncode == 2 and "could not start" in bad.stderr and "no-such-browser" in bad.stderr
    assert "Traceback" not in bad.stderr
