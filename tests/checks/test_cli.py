"""``xxgk check`` as a user runs it: exit codes 0/1/2, the JSON shape, and file:line messages for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checks.helpers import make, put, t3_rows
from xxgk.params_write import save_params

XXGK = Path(sys.executable).with_name("xxgk")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [str(XXGK)] if XXGK.exists() else [sys.executable, "-m", "xxgk.cli"]
    return subprocess.run([*cmd, "check", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_sample_exits_0_with_the_year_warning(sample_path):
    p = run(str(sample_path))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == f"{sample_path}: 余姚市商务局 (yuyao-commerce), 2020, format 2019"
    assert lines[1] == "  state: warning (有警告)"
    assert lines[2].startswith("  N-YEAR warning: 二、主动公开政府信息情况：「2019年度，本单位主动公开信息45条")
    assert lines[3:] == ["1 report checked (0 error, 0 incomplete, 1 warning, 0 clean): 0 error(s), 1 warning(s), "
                         "0 not assessable"]  # fmt: skip


def test_json_shape(sample_path):
    p = run(str(sample_path), "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert list(doc) == ["reports"]
    (rep,) = doc["reports"]
    assert list(rep) == ["agency", "year", "format", "state", "findings", "gaps"]
    assert (rep["state"], rep["gaps"]) == ("warning", [])
    assert (rep["agency"], rep["year"], rep["format"]) == ("yuyao-commerce", 2020, "2019")
    (f,) = rep["findings"]
    assert list(f) == ["rule", "severity", "status", "message", "cells"]
    assert (f["rule"], f["severity"], f["status"], f["cells"]) == ("N-YEAR", "warning", "fail", [])
    assert f["message"].startswith("[N-YEAR] ")


def _write(report, root: Path) -> Path:
    return save_params(report, root / str(report.year) / f"{report.agency.id}.yaml")


def test_error_exits_1_and_directories_find_last_year(tmp_path):
    prev = make(
        "2021", 2021, agency_id="demo", t3=t3_rows("2021", {"granted": [1, 0, 0, 0, 0, 0]}, carry_out=[2] + [0] * 5)
    )
    cur = make("2021", 2022, agency_id="demo", t3=t3_rows("2021", {"granted": [3, 0, 0, 0, 0, 0]}))
    _write(prev, tmp_path)
    path = _write(cur, tmp_path)
    # the 2022 file alone: last year's report is picked up from ../2021/demo.yaml
    p = run(str(path), "--json")
    assert p.returncode == 1, p.stderr
    (rep,) = json.loads(p.stdout)["reports"]
    assert [(f["rule"], f["severity"], f["status"]) for f in rep["findings"]] == [("X-CARRY", "error", "fail")] * 2
    # the whole directory: both years are checked, the later one against the earlier
    p = run(str(tmp_path))
    assert p.returncode == 1
    assert "2021, format 2021\n  state: clean (无问题)\n  no findings\n" in p.stdout
    assert f"{path}: 示例局 (demo), 2022, format 2021; compared with 2021" in p.stdout
    assert p.stdout.splitlines()[-1] == ("2 reports checked (1 error, 0 incomplete, 0 warning, 1 clean): 2 error(s), "
                                         "0 warning(s), 0 not assessable")  # fmt: skip


def test_warnings_and_not_assessable_exit_0(tmp_path):
    r = make("2021", 2021, agency_id="blank-cells")
    put(r, "t3", "new_received", [0, None, None, None, None, None, 0])
    p = run(str(_write(r, tmp_path)))
    assert p.returncode == 0, p.stdout
    assert "  T3-BAL not assessable: 无法核对5处" in p.stdout


def test_json_input(tmp_path, sample):
    from xxgk.interchange import dumps

    f = tmp_path / "r.json"
    f.write_text(dumps(sample), encoding="utf-8")
    p = run(str(f), "--json")
    assert p.returncode == 0
    assert [x["rule"] for x in json.loads(p.stdout)["reports"][0]["findings"]] == ["N-YEAR"]


def test_json_input_with_a_missing_cell_needs_allow_missing(tmp_path, sample):
    """Like ``xxgk export``: a cell missing from 'cells' is refused (exit 2), or read as blank with --allow-missing
    (said on stderr, and the report is then incomplete, not checked as if the cell were 0)."""
    from xxgk.interchange import to_document

    doc = to_document(sample)
    del doc["cells"]["t3.granted.total"]
    f = tmp_path / "r.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    p = run(str(f))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == (f"xxgk check: {f}: /cells/t3.granted.total 「表三 / 三、本年度办理结果 / （一）予以公开 / 总计」: "
                        "missing (required; a blank cell is null)\n")  # fmt: skip
    p = run(str(f), "--allow-missing", "--json")
    assert p.returncode == 0, p.stderr
    assert p.stderr == f"{f}: 1 cell(s) missing, read as blank (--allow-missing): t3.granted.total\n"
    (rep,) = json.loads(p.stdout)["reports"]
    assert rep["state"] == "incomplete" and "t3.granted.total" in rep["gaps"]
    p = run(str(f), "--allow-missing")
    assert p.returncode == 0 and "  state: incomplete (" in p.stdout


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("year: 2020", "year: [2020"), ":9: not valid YAML: "),
        (
            ("  granted:                    [0, 0", "  granted:                    [abc, 0"),
            ":74: 「表三 / 三、本年度办理结果 / （一）予以公开 / 自然人」 (t3.granted.natural_person): "
            "expected a non-negative whole number, or / for blank, got 'abc'",
        ),
        (("table3:  #", "tabel3:  #"), ":70: top level: unknown key 'tabel3'; did you mean 'table3'?"),
        (
            ("  licensing:      [1, 0, 104]", "  licensing:      [1, 0]"),
            ":60: table2.licensing 「行政许可」: expected 3 values (上一年项目数量、本年增/减、处理决定数量), got 2",
        ),
    ],
)
def test_bad_params_exit_2_with_file_and_line(tmp_path, sample_path, edit, message):
    text = sample_path.read_text(encoding="utf-8")
    assert edit[0] in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    p = run(str(bad))
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr.startswith(f"xxgk check: {bad}{message}")
    assert "Traceback" not in p.stderr


def test_missing_path_and_empty_directory_exit_2(tmp_path):
    p = run(str(tmp_path / "nope.yaml"))
    assert (p.returncode, p.stderr) == (2, f"xxgk check: {tmp_path / 'nope.yaml'}: no such file or directory\n")
    p = run(str(tmp_path))
    assert p.returncode == 2 and "no report files" in p.stderr


def test_a_bad_file_among_good_ones_is_an_input_error(tmp_path, sample_path):
    (tmp_path / "2020").mkdir()
    (tmp_path / "2020" / "yuyao-commerce.yaml").write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "2020" / "x.yaml").write_text("agency: {id: x, name: 某局}\nyear: 2020\nsurprise: 1\n", encoding="utf-8")
    p = run(str(tmp_path))
    assert p.returncode == 2
    assert "x.yaml:3: top level: unknown key 'surprise'" in p.stderr


def _layout(root: Path, sample_path: Path, files: dict[str, tuple[int, str]]) -> None:
    """Params files at ``root/<rel>`` from the sample, each saying the given (year, agency id)."""
    text = sample_path.read_text(encoding="utf-8")
    for rel, (year, agency) in files.items():
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text.replace("year: 2020", f"year: {year}").replace("id: yuyao-commerce", f"id: {agency}"),
                     encoding="utf-8")  # fmt: skip


LAYOUT_HEAD = "xxgk check: the params files are not laid out as <year>/<agency-id>.yaml:"


def test_layout_year_folder_mismatch(tmp_path, sample_path):
    _layout(tmp_path, sample_path, {"2021/a.yaml": (2020, "a")})
    f = tmp_path / "2021" / "a.yaml"
    p = run(str(f))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.splitlines() == [LAYOUT_HEAD, f"  {f}:8: year 2020 does not match its folder 2021 "
                                                  f"(move the file to {tmp_path / '2020' / 'a.yaml'} or set year: 2021)"]  # fmt: skip


def test_layout_stem_and_duplicate_id_name_both_files(tmp_path, sample_path):
    _layout(tmp_path, sample_path, {"2020/a.yaml": (2020, "a"), "2020/b.yaml": (2020, "a")})
    a, b = tmp_path / "2020" / "a.yaml", tmp_path / "2020" / "b.yaml"
    p = run(str(tmp_path))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.splitlines() == [
        LAYOUT_HEAD,
        f"  {b}:4: agency.id 'a' does not match the file name 'b' (rename the file to {a} or set id: b)",
        f"  {a} and {b}: both are agency 'a' in 2020; an agency has one params file a year",
    ]


def test_a_link_leading_out_of_the_directory_is_refused_unread(tmp_path, sample_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: 机密内容\n", encoding="utf-8")
    _layout(tmp_path / "params", sample_path, {"2020/yuyao-commerce.yaml": (2020, "yuyao-commerce")})
    (tmp_path / "params" / "2020" / "evil.yaml").symlink_to(secret)
    p = run(str(tmp_path / "params"))
    assert p.returncode == 2 and "机密" not in p.stdout + p.stderr
    assert f"evil.yaml: a symbolic link to {secret}, outside the params directory" in p.stderr
