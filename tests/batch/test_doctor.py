"""``xxgk doctor``: everything present here; a missing browser or font is reported with a fix, exit 1."""

from __future__ import annotations

import re

import pytest

from xxgk.batch import doctor
from xxgk.cli import main


@pytest.mark.slow
def test_doctor_all_present(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "ok      python package papermill: 2.7.0" in out
    assert "ok      jupyter kernel python3" in out
    assert "ok      report template: report.ipynb (parameters: agency, year, params_dir, show_checks)" in out
    assert "ok      CJK font for charts: Noto Sans CJK SC" in out
    assert re.search(r"ok      browser for PDF: \S*chrom\S* printed a test page in [0-9.]+ s", out)
    assert out.rstrip().endswith("everything needed to build reports is in place.")


def test_doctor_missing_browser_and_font(monkeypatch, capsys, tmp_path):
    from xxgk.render import fonts

    monkeypatch.setenv("XXGK_CHROMIUM", str(tmp_path / "no-such-chrome"))
    monkeypatch.setattr(fonts, "_chosen", None)
    monkeypatch.setattr(fonts, "cjk_font_files", lambda: [])
    monkeypatch.setattr(fonts, "FAMILIES", ("No Such CJK Font",))
    assert doctor.main(None) == 1
    out = capsys.readouterr().out
    assert "MISSING CJK font for charts: none found" in out
    assert "apt-get install fonts-noto-cjk" in out
    assert f"MISSING browser for PDF: XXGK_CHROMIUM={tmp_path / 'no-such-chrome'} is not a file" in out
    assert "fix: sudo apt-get install chromium" in out
    assert out.rstrip().endswith("2 essential items missing; reports cannot be built until they are fixed.")


def test_doctor_missing_package(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "PACKAGES", (("no_such_module_xyz", "no-such-dist", True),))
    monkeypatch.setattr(doctor, "_font", lambda rep: None)
    monkeypatch.setattr(doctor, "_browser", lambda rep: None)
    assert doctor.main(None) == 1
    out = capsys.readouterr().out
    assert "MISSING python package no-such-dist: not installed" in out
    assert "fix: install the project into the venv: .venv/bin/pip install -e ." in out
