"""Batch planning without kernels: selection and refusals, input hashing, the manifest, failure details, progress."""

from __future__ import annotations

import io
import json
import os

import pytest

from xxgk.batch.manifest import FAILED, OK, RUNNING, Manifest
from xxgk.batch.plan import plan_batch, select_reports
from xxgk.batch.progress import PlainProgress, describe_failure
from xxgk.batch.worker import failure_details
from xxgk.demo import write_demo
from xxgk.errors import UserError
from xxgk.params import discover

NOTEBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "report.ipynb")


@pytest.fixture
def params(tmp_path):
    write_demo(tmp_path / "params", 3, [2021, 2022], seed=2)  # demo-001, demo-002 and demo-gov, their sum
    return tmp_path / "params"


def _plan(params, out, manifest=None, formats=("html",), force=False, selected=None):
    found = discover(params)
    manifest = manifest or Manifest(out)
    return plan_batch(selected or found, params_dir=params, out_dir=out, notebook=NOTEBOOK, formats=formats,
                      timeout=60, manifest=manifest, force=force, found=found)  # fmt: skip


def test_select_globs(params):
    found = discover(params)
    assert len(select_reports(found)) == 6
    assert [(y, a) for y, a, _ in select_reports(found, "demo-002", "2022")] == [(2022, "demo-002")]
    assert {a for _, a, _ in select_reports(found, "demo-00[12]", "*")} == {"demo-001", "demo-002"}
    assert {y for y, _, _ in select_reports(found, "*", "202?")} == {2021, 2022}


@pytest.mark.parametrize(("agency", "year", "words"), [
    ("nope", "2021", ["unknown agency 'nope'", "demo-001, demo-002, demo-gov"]),
    ("demo-001", "2030", ["unknown year '2030'", "2021, 2022"]),
    ("x*", "*", ["no agency matches 'x*'"]),
])  # fmt: skip
def test_select_refusals_list_what_exists(params, agency, year, words):
    with pytest.raises(UserError) as err:
        select_reports(discover(params), agency, year, "params")
    for w in words:
        assert w in str(err.value)


def test_cli_refuses_unknown_agency_with_exit_2(params, tmp_path, capsys):
    from xxgk.cli import main

    code = main(["build", "--params", str(params), "--out", str(tmp_path / "b"), "--agency", "nope", "--year", "2021"])
    err = capsys.readouterr().err
    assert code == 2 and "unknown agency 'nope'" in err and "demo-gov" in err and "Traceback" not in err
    code = main(["build", "--params", str(params), "--out", str(tmp_path / "b"), "--formats", "html,xls"])
    assert code == 2 and "xls" in capsys.readouterr().err
    assert main(["build", "--params", str(tmp_path / "missing"), "--out", str(tmp_path / "b")]) == 2


def _pretend_built(plan, manifest, out):
    for job in plan.todo:
        d = out / str(job.year) / job.agency
        d.mkdir(parents=True, exist_ok=True)
        (d / "report.html").write_text("x", encoding="utf-8")
        manifest.record(job.key, {"agency": job.agency, "year": job.year, "status": OK, "inputs": job.inputs,
                                  "outputs": {"html": f"{job.year}/{job.agency}/report.html"}}, save=False)  # fmt: skip
    manifest.save()


def test_incremental_plan(params, tmp_path):
    out = tmp_path / "out"
    manifest = Manifest(out)
    first = _plan(params, out, manifest)
    assert len(first.todo) == 6 and not first.fresh
    _pretend_built(first, manifest, out)
    again = _plan(params, out, Manifest(out))
    assert not again.todo and len(again.fresh) == 6
    # a changed params file: that report, the later years of the same agency (they read it) and the consolidated
    # report of that year (H-SUM reads its members)
    p = params / "2021" / "demo-002.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("示例县财政局", "示例县财政局X"), encoding="utf-8")
    todo = _plan(params, out, Manifest(out)).todo
    assert sorted(j.key for j in todo) == ["2021/demo-002", "2021/demo-gov", "2022/demo-002"]
    assert next(j for j in todo if j.agency == "demo-gov").inputs["members"] != "-"
    _pretend_built(_plan(params, out, Manifest(out)), Manifest(out), out)
    # other formats, a missing output, --force
    assert len(_plan(params, out, Manifest(out), formats=("html", "pdf")).todo) == 6
    (out / "2022" / "demo-gov" / "report.html").unlink()
    assert [j.key for j in _plan(params, out, Manifest(out)).todo] == ["2022/demo-gov"]
    assert len(_plan(params, out, Manifest(out), force=True).todo) == 6
    # the template saved after a run in JupyterLab (outputs, execution counts, kernel details) rebuilds nothing
    _pretend_built(_plan(params, out, Manifest(out)), Manifest(out), out)
    ran = json.loads(open(NOTEBOOK, encoding="utf-8").read())
    for i, cell in enumerate(c for c in ran["cells"] if c["cell_type"] == "code"):
        cell.update(execution_count=i + 1, outputs=[{"output_type": "display_data", "metadata": {},
                                                     "data": {"text/html": "<p>输出</p>"}}])  # fmt: skip
    ran["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}
    saved = tmp_path / "saved.ipynb"
    saved.write_text(json.dumps(ran, ensure_ascii=False), encoding="utf-8")
    found = discover(params)
    unchanged = plan_batch(found, params_dir=params, out_dir=out, notebook=saved, formats=("html",), timeout=60,
                           manifest=Manifest(out), found=found)  # fmt: skip
    assert not unchanged.todo and len(unchanged.fresh) == 6
    # a changed notebook rebuilds everything
    nb = tmp_path / "report.ipynb"
    nb.write_text(open(NOTEBOOK, encoding="utf-8").read().replace("报告正文", "报告正文 "), encoding="utf-8")
    found = discover(params)
    changed = plan_batch(found, params_dir=params, out_dir=out, notebook=nb, formats=("html",), timeout=60,
                         manifest=Manifest(out), found=found)  # fmt: skip
    assert len(changed.todo) == 6


def test_manifest_atomic_and_running_marks(tmp_path):
    m = Manifest(tmp_path)
    m.record("2021/a", {"status": OK, "inputs": {"hash": "h"}, "outputs": {"log": "2021/a/build.log"}})
    (tmp_path / "2021" / "a").mkdir(parents=True)
    (tmp_path / "2021" / "a" / "build.log").write_text("x")
    assert Manifest(tmp_path).up_to_date("2021/a", "h")
    m.mark_running(["2021/a"])
    back = Manifest(tmp_path)
    assert back.reports["2021/a"]["status"] == RUNNING and not back.up_to_date("2021/a", "h")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    (tmp_path / "manifest.json").write_text("{broken", encoding="utf-8")
    assert Manifest(tmp_path).reports == {}


def test_failure_details_and_messages(tmp_path):
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {"tags": ["papermill-error-cell-tag"]}, "source": "banner"},
        {"cell_type": "code", "metadata": {"tags": ["parameters"], "papermill": {"status": "completed"}}, "source": "a = 1", "outputs": []},
        {"cell_type": "code", "metadata": {"tags": ["injected-parameters"], "papermill": {"status": "completed"}}, "source": "a = 2", "outputs": []},
        {"cell_type": "code", "metadata": {"papermill": {"status": "completed"}}, "source": "x = 1", "outputs": []},
        {"cell_type": "code", "execution_count": 4, "metadata": {"papermill": {"status": "failed"}},
         "source": ["if a:\n", "    raise ValueError('坏')\n", "y = 2\n", "z = 3"],
         "outputs": [{"output_type": "error", "ename": "ValueError", "evalue": "坏", "traceback": []}]},
    ], "metadata": {}}  # fmt: skip
    path = tmp_path / "f.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    d = failure_details(path)
    assert d == {"cell_index": 2, "execution_count": 4, "cell_source": "if a:\n    raise ValueError('坏')\ny = 2",
                 "ename": "ValueError", "evalue": "坏"}  # fmt: skip
    line = describe_failure("2021/a", {"kind": "cell", **d})
    assert line == "2021/a [cell] cell 2 (In [4]): ValueError: 坏"
    buf = io.StringIO()
    p = PlainProgress(3, buf)
    p.finish("2021/a", {"status": OK, "stages": {"total": 1.25}, "checks": {"errors": 0, "warnings": 2}})
    p.finish("2021/c", {"status": OK, "stages": {"total": 1.0}, "state": "incomplete",
                        "checks": {"errors": 0, "warnings": 0, "not_assessable": 9}})  # fmt: skip
    p.finish("2021/b", {"status": FAILED, "error": {"kind": "timeout", "message": "time limit of 5 s exceeded"}})
    assert buf.getvalue().splitlines() == ["[1/3] ok      2021/a  1.2s  (errors 0, warnings 2)",
                                           "[2/3] ok      2021/c  1.0s  (incomplete: errors 0, warnings 0, not assessable 9)",
                                           "[3/3] FAILED  2021/b [timeout] time limit of 5 s exceeded"]  # fmt: skip


def test_second_build_of_the_same_output_is_refused(params, tmp_path, capsys):
    from xxgk.batch.manifest import build_lock
    from xxgk.cli import main

    out = tmp_path / "out"
    with build_lock(out):
        code = main(["build", "--params", str(params), "--out", str(out), "--agency", "demo-001", "--year", "2021"])
    err = capsys.readouterr().err
    assert code == 2 and "another xxgk build" in err and str(os.getpid()) in err
    with build_lock(out):  # released: can be taken again
        pass
    assert not (tmp_path / "never").exists()
    assert main(["build", "--params", str(params), "--out", str(tmp_path / "never"), "--agency", "nope"]) == 2
    assert not (tmp_path / "never").exists()  # a refused build creates nothing


def test_stale_temporaries_and_a_killed_rebuilds_backup_are_cleaned(tmp_path):
    from xxgk.batch.outputs import LAST_GOOD, clean_stale
    from xxgk.batch.worker import kept_names

    d = tmp_path / "2022" / "a"
    (d / LAST_GOOD).mkdir(parents=True)
    (d / "report.html").write_text("half-written new", encoding="utf-8")
    (d / LAST_GOOD / "report.html").write_text("last good", encoding="utf-8")
    (d / "report.pdf").write_text("new only", encoding="utf-8")  # not there before the killed rebuild
    for name in (".report.0123abcd.tmp.ipynb", ".report.html.x1y2.tmp", ".report.failed.ipynb.partial"):
        (d / name).write_text("x", encoding="utf-8")
    (tmp_path / "2022" / ".overview.77.tmp.ipynb").write_text("x", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / ".cells.csv.abc.tmp").write_text("x", encoding="utf-8")
    assert clean_stale(tmp_path, kept_names()) == ["restored the last good outputs of 2022/a",
                                                   "removed 5 temporary file(s) left by an interrupted run"]  # fmt: skip
    assert sorted(p.name for p in d.iterdir()) == ["report.html"]
    assert (d / "report.html").read_text(encoding="utf-8") == "last good"
    assert clean_stale(tmp_path, kept_names()) == []


def test_site_files_are_written_all_or_none(tmp_path, monkeypatch):
    from xxgk.site import atomic

    (tmp_path / "index.html").write_text("old index", encoding="utf-8")
    real = os.fdopen
    calls = []

    def full_disk(fd, *a, **k):  # the second file hits a full disk
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError(28, "No space left on device", "cells.csv")
        return real(fd, *a, **k)

    monkeypatch.setattr(atomic.os, "fdopen", full_disk)
    with pytest.raises(OSError):
        atomic.write_all_atomic(tmp_path, {"index.html": "new", "data/cells.csv": "new"})
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "old index"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["index.html"]  # no temporaries left


def test_full_disk_while_publishing_is_one_clean_error(params, tmp_path, monkeypatch):
    from xxgk.batch.outputs import OutputError
    from xxgk.site import atomic
    from xxgk.site.publish import publish

    out = tmp_path / "out"
    out.mkdir()
    m = Manifest(out)
    (out / "index.html").write_text("old index", encoding="utf-8")
    monkeypatch.setattr("xxgk.site.publish._overviews", lambda *a, **k: {})

    def full(*a, **k):
        raise OSError(28, "No space left on device", str(out / "data" / "cells.csv"))

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OutputError) as err:
        publish(out, params, m, discover(params))
    assert str(err.value) == (f"cannot write {out / 'data' / 'cells.csv'}: No space left on device; the site was not "
                              "updated (its previous files are unchanged)")  # fmt: skip
    assert (out / "index.html").read_text(encoding="utf-8") == "old index" and not (out / "data" / "cells.csv").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["build", "--timeout", "inf"], "argument --timeout: expected a finite, positive number of seconds, got 'inf'"),
    (["build", "--timeout", "nan"], "argument --timeout: expected a finite, positive number of seconds, got 'nan'"),
    (["build", "--timeout", "0"], "argument --timeout: expected a finite, positive number of seconds, got '0'"),
    (["build", "--year", "1999"], "argument --year: expected a report year from 2019 to"),
    (["form", "--year", "1000000000000000000000"], "argument --year: expected a report year 2019–2100"),
    (["new", "--agency", "a", "--year", "2018"], "argument --year: report year 2018 predates the national formats"),
])  # fmt: skip
def test_flags_are_validated(argv, message, capsys):
    from xxgk.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2 and message in capsys.readouterr().err


def test_build_refuses_a_params_link_leading_outside(params, tmp_path, capsys):
    from xxgk.cli import main

    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:机密\n", encoding="utf-8")
    (params / "2022" / "evil.yaml").symlink_to(secret)
    out = tmp_path / "b"
    code = main(["build", "--params", str(params), "--out", str(out), "--formats", "html"])
    err = capsys.readouterr().err
    assert code == 2 and "机密" not in err and not out.exists()
    assert f"{params / '2022' / 'evil.yaml'}: a symbolic link to {secret}, outside the params directory" in err
