"""The same per-report task on a real Dask LocalCluster (2 workers × 1 thread), in-process and from the CLI."""

from __future__ import annotations

import json

import pytest

from tests.batch.test_batch_run import make_params, probe_lines, probe_notebook, xxgk

pytestmark = pytest.mark.slow


def test_dask_local_cluster_batch(tmp_path):
    params = make_params(tmp_path / "params", ["a-ok", "b-ok", "c-raise"])
    nb = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "shared-out"
    r = xxgk("build", "--params", params, "--out", out, "--notebook", nb, "--formats", "html", "--jobs", 2,
             "--executor", "dask", "--quiet", "--no-site")  # fmt: skip
    assert r.returncode == 1, r.stdout + r.stderr
    assert "with 2 dask workers" in r.stdout and "2 built, 1 failed" in r.stdout
    assert "c-raise" in r.stderr and "故意失败" in r.stderr
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert m["2022/a-ok"]["status"] == m["2022/b-ok"]["status"] == "ok"
    assert m["2022/c-raise"]["error"]["kind"] == "cell"
    assert len({m[k]["worker"] for k in m}) >= 1
    assert probe_lines(out, 2022, "a-ok")[1] != probe_lines(out, 2022, "b-ok")[1]
    assert (out / "2022" / "b-ok" / "report.html").is_file()


def test_dask_executor_with_scheduler_address(tmp_path):
    from distributed import LocalCluster

    from xxgk.batch.executors import get_executor
    from xxgk.batch.manifest import Manifest
    from xxgk.batch.worker import Job

    params = make_params(tmp_path / "params", ["a-ok", "b-ok"])
    nb = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    jobs = [Job(a, 2022, str(params), str(out), str(nb), ("html",), 120, {"hash": a}) for a in ("a-ok", "b-ok")]
    events = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        get_executor("dask", 2, cluster.scheduler_address).run(jobs, lambda *e: events.append(e))
    done = {key: entry for kind, key, entry in events if kind == "done"}
    assert set(done) == {"2022/a-ok", "2022/b-ok"} and all(e["status"] == "ok" for e in done.values())
    assert not Manifest(out).reports  # the executor only reports; recording is the batch's job
