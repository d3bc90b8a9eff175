"""Everyday commands: list, open (scratch copy, command line), completion, did-you-mean, check on a form."""

from __future__ import annotations

import json
import shlex
import shutil

from xxgk import cli


def _ws(tmp_path, sample_path, monkeypatch):
    (tmp_path / "params" / "2020").mkdir(parents=True)
    shutil.copy(sample_path, tmp_path / "params" / "2020" / "yuyao-commerce.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XXGK_NO_WORKSPACE", "1")


def test_list_shows_year_agency_state(tmp_path, sample_path, monkeypatch, capsys):
    _ws(tmp_path, sample_path, monkeypatch)
    (tmp_path / "params" / "2021").mkdir()
    (tmp_path / "params" / "2021" / "broken.yaml").write_text("agency: [\n", encoding="utf-8")
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2020  yuyao-commerce  有警告(warning)  not built  余姚市商务局"
    assert lines[1].startswith("2021  broken          无法读取(unreadable)  not built") and "broken.yaml" in lines[1]
    assert cli.main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["reports"]
    assert [(r["year"], r["agency"], r["state"]) for r in rows] == [(2020, "yuyao-commerce", "warning"),
                                                                   (2021, "broken", "unreadable")]  # fmt: skip


def test_open_dry_run_writes_a_parameterised_copy(tmp_path, sample_path, monkeypatch, capsys, root):
    _ws(tmp_path, sample_path, monkeypatch)
    template = root / "notebooks" / "report.ipynb"
    before = template.read_bytes()
    assert cli.main(["open", "yuyao-commerce", "2020", "--dry-run", "--no-browser"]) == 0
    out = capsys.readouterr().out.splitlines()
    scratch = tmp_path / "build" / "scratch" / "2020-yuyao-commerce.ipynb"
    cmd = shlex.split(out[-1])
    assert cmd[1:5] == ["-m", "jupyterlab", str(scratch), "--no-browser"]
    import os

    assert ("--allow-root" in cmd) == (os.geteuid() == 0)
    nb = json.loads(scratch.read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    src = "".join(injected[0]["source"])
    assert 'agency = "yuyao-commerce"' in src and "year = 2020" in src and str(tmp_path / "params") in src
    assert nb["metadata"]["xxgk"]["template"] is False
    assert template.read_bytes() == before


def test_open_unknown_agency_suggests(tmp_path, sample_path, monkeypatch, capsys):
    _ws(tmp_path, sample_path, monkeypatch)
    assert cli.main(["open", "yuyao-comerce", "2020", "--dry-run"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("did you mean 'yuyao-commerce'?")
    assert cli.main(["build", "--agency", "yuyao-comerc"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("did you mean 'yuyao-commerce'?")


def test_completion_scripts(capsys):
    assert cli.main(["completion", "bash"]) == 0
    bash = capsys.readouterr().out
    assert "complete" in bash and "ingest" in bash and "--agency" in bash
    assert cli.main(["completion", "zsh"]) == 0
    assert capsys.readouterr().out.startswith("#compdef xxgk")


def test_check_on_a_form_points_to_ingest(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XXGK_NO_WORKSPACE", "1")
    form = tmp_path / "form.xlsx"
    form.write_bytes(b"PK")
    assert cli.main(["check", str(form)]) == 2
    assert f"read it into a params file with `xxgk ingest {form}`" in capsys.readouterr().err
