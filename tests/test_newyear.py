"""``xxgk new``: next year's params file from last year's (carried counts, baseline, narrative as comments)."""

from __future__ import annotations

import shutil

import pytest

from tests.ingest.test_xlsx import build_2021_report
from xxgk import cli
from xxgk.errors import UserError
from xxgk.model import BLANK
from xxgk.newyear import start_new_year
from xxgk.params import load_params
from xxgk.params_write import save_params


@pytest.fixture
def params(tmp_path, sample_path):
    d = tmp_path / "params"
    (d / "2020").mkdir(parents=True)
    shutil.copy(sample_path, d / "2020" / "yuyao-commerce.yaml")
    return d


def test_2020_to_2021_crosses_the_format_boundary(params, sample):
    path = start_new_year(params, "yuyao-commerce", 2021)
    assert path == params / "2021" / "yuyao-commerce.yaml"
    new = load_params(path)
    assert (new.year, new.format_id, new.agency) == (2021, "2021", sample.agency)
    assert new.contact == sample.contact and new.signature.agency == "余姚市商务局" and new.signature.date is None
    assert new.published is None and new.preamble == "" and new.section_titles == {}
    assert new.sections == {s: "" for s in ("s1", "s2", "s3", "s4", "s5", "s6")}
    carried = {cid: c.value for cid, c in new.cells.items() if cid.startswith("t3.carried_over.")}
    assert len(carried) == 7
    assert carried == {cid: sample.value(cid.replace("carried_over", "carried_forward")) for cid in carried}
    assert set(carried.values()) == {0}
    others = [c for cid, c in new.cells.items() if not cid.startswith("t3.carried_over.")]
    assert len(others) == 193 and all(c.state == BLANK and c.value is None for c in others)
    ext = new.extensions[0]
    assert ext.title == "公开平台建设和信息发布情况" and ext.after == "s2"
    assert ext.rows[0].values == ["条", None] and ext.rows[1].values == ["——", None]
    text = path.read_text(encoding="utf-8")
    assert "  # Last year's text (2020), for reference only:\n  # | （一）完善平台畅通公开渠道。" in text
    assert "  # 2020's heading variant: 「政府信息公开工作存在的主要问题及改进措施」\n" in text
    assert "# | 本年度无其它需要报告的事项。\n  s6: \"\"" in text
    assert "2020 used the 2019 format: its 对外公开总数量 is not 现行有效件数 (no baseline)" in text


def test_2021_to_2022_carries_columns_and_notes_the_in_force_baseline(tmp_path):
    last = build_2021_report()
    last.cells["t3.carried_forward.other_org"] = last.cells["t3.carried_forward.natural_person"]
    save_params(last, tmp_path / "2021" / "test-bureau.yaml")
    path = start_new_year(tmp_path, "test-bureau", 2022)
    new = load_params(path)
    cols = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
    assert [new.value(f"t3.carried_over.{c}") for c in cols] == [1, 0, 0, 0, 0, 1, 1]
    assert new.value("t2.regulations.in_force") is None
    text = path.read_text(encoding="utf-8")
    assert "  # 现行有效件数 baseline from 2021: 规章 3，行政规范性文件 12.\n" in text
    assert "2021's + 本年制发件数 − 本年废止件数 (X-VALID-21)" in text
    assert new.extensions[0].rows[0].values == ["元", None]


def test_never_overwrites(params):
    path = start_new_year(params, "yuyao-commerce", 2021)
    path.write_text(path.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    with pytest.raises(UserError, match="2021/yuyao-commerce.yaml already exists; not overwriting it"):
        start_new_year(params, "yuyao-commerce", 2021)
    assert path.read_text(encoding="utf-8").endswith("# my edits\n")


def test_missing_last_year_names_what_exists(params):
    with pytest.raises(UserError, match="2021/yuyao-commerce.yaml not found: yuyao-commerce has params files for 2020 only"):
        start_new_year(params, "yuyao-commerce", 2022)
    with pytest.raises(UserError, match="no params file of agency 'yuyao-comerce'; did you mean yuyao-commerce\\?"):
        start_new_year(params, "yuyao-comerce", 2021)


def test_cli_new(params, capsys):
    argv = ["new", "--agency", "yuyao-commerce", "--year", "2021", "--params", str(params)]
    assert cli.main(argv) == 0
    assert "wrote" in capsys.readouterr().out
    assert cli.main(argv) == 2
    assert "already exists" in capsys.readouterr().err
