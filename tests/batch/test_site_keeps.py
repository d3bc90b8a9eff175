"""The site never loses a report and says the truth about each, with the real report notebook (HTML only):
a blank draft is incomplete; a filtered build or another params directory keeps the other reports; a failing
rebuild keeps the last good publication, marked stale with the failure; --prune removes a report whose params
file is gone; layout problems stop a build before any kernel; a read-only output directory is one clean error."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from tests.batch.test_batch_run import xxgk
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow


def _index(out):
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {f'{r["data-year"]}/{r.select("td")[2].text}': r for r in soup.select("#reports tbody tr")}


def _manifest(out):
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample (2020) and its blank 2021 draft from ``xxgk new``, built once; a second params directory with
    one more report built into the same output directory with a filter."""
    root = tmp_path_factory.mktemp("keeps")
    params = root / "params"
    (params / "2020").mkdir(parents=True)
    shutil.copy(SAMPLE, params / "2020" / "yuyao-commerce.yaml")
    r = xxgk("new", "--agency", "yuyao-commerce", "--year", "2021", "--params", params)
    assert r.returncode == 0, r.stderr
    out = root / "build"
    r = xxgk("build", "--params", params, "--out", out, "--formats", "html", "--jobs", 1, "--quiet", timeout=400)
    assert r.returncode == 0, r.stdout + r.stderr
    other = root / "other"
    (other / "2020").mkdir(parents=True)
    (other / "2020" / "other-agency.yaml").write_text(
        SAMPLE.read_text(encoding="utf-8").replace("id: yuyao-commerce", "id: other-agency"), encoding="utf-8")
    r = xxgk("build", "--params", other, "--out", out, "--formats", "html", "--agency", "other-agency", "--quiet",
             timeout=400)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    return root, params, other, out


def test_blank_draft_is_incomplete_in_manifest_and_index(built):
    root, params, other, out = built
    m = _manifest(out)
    draft, sample = m["2021/yuyao-commerce"], m["2020/yuyao-commerce"]
    assert (draft["status"], draft["state"]) == ("ok", "incomplete")
    assert draft["checks"]["not_assessable"] > 0 and draft["checks"]["gaps"] > 100
    assert {f["status"] for f in draft["findings"]} == {"not_assessable"} and draft["gaps"][0] == "t2.regulations.issued"
    assert sample["state"] == "warning" and [f["rule"] for f in sample["findings"]] == ["N-YEAR"]
    rows = _index(out)
    assert rows["2021/yuyao-commerce"]["data-status"] == "incomplete"
    assert rows["2021/yuyao-commerce"].select_one(".badge").text == "不完整"
    assert "无法核对" in rows["2021/yuyao-commerce"].select_one("details").text
    assert rows["2020/yuyao-commerce"].select_one("details li").text.startswith("N-YEAR警告：")


def test_a_filtered_build_of_another_params_dir_keeps_the_other_reports(built):
    root, params, other, out = built
    rows = _index(out)
    assert set(rows) == {"2020/yuyao-commerce", "2021/yuyao-commerce", "2020/other-agency"}
    assert all(r["data-stale"] == "0" for r in rows.values())
    docs = json.loads((out / "data" / "reports.json").read_text(encoding="utf-8"))
    assert sorted((d["year"], d["agency"]["id"]) for d in docs) == [(2020, "other-agency"), (2020, "yuyao-commerce"),
                                                                    (2021, "yuyao-commerce")]  # fmt: skip


def test_failing_rebuild_keeps_the_last_good_report(built):
    root, params, other, out = built
    page = out / "2020" / "yuyao-commerce" / "report.html"
    before = page.read_bytes()
    f = params / "2020" / "yuyao-commerce.yaml"
    good = f.read_text(encoding="utf-8")
    f.write_text(good.replace("table3:", "table3:\n  nonsense_row: [1]", 1), encoding="utf-8")
    try:
        r = xxgk("build", "--params", params, "--out", out, "--formats", "html", "--year", "2020", "--agency",
                 "yuyao-commerce", "--quiet", timeout=400)  # fmt: skip
        assert r.returncode == 1 and "nonsense_row" in r.stderr
        assert page.read_bytes() == before and (out / "2020" / "yuyao-commerce" / "report.ipynb").is_file()
        assert not (out / "2020" / "yuyao-commerce" / ".last-good").exists()
        e = _manifest(out)["2020/yuyao-commerce"]
        assert e["status"] == "failed" and e["stale"]["reason"] == "build-failed" and "nonsense_row" in e["stale"]["message"]
        assert e["outputs"]["html"] == "2020/yuyao-commerce/report.html" and e["published"]["state"] == "warning"
        row = _index(out)["2020/yuyao-commerce"]
        assert row["data-status"] == "failed" and row["data-stale"] == "1"
        assert "过期：重新构建失败" in row.text and "nonsense_row" in row.select_one("p.note").text
        assert [a["href"] for a in row.select(".links a")][0] == "2020/yuyao-commerce/report.html"
    finally:
        f.write_text(good, encoding="utf-8")


def test_prune_removes_a_report_whose_params_file_is_gone(built):
    root, params, other, out = built
    (other / "2020" / "other-agency.yaml").unlink()
    r = xxgk("build", "--params", params, "--out", out, "--formats", "html", "--year", "2021", "--quiet", timeout=400)
    assert r.returncode == 0, r.stderr
    row = _index(out)["2020/other-agency"]
    assert row["data-stale"] == "1" and "参数文件已删除" in row.text
    assert (out / "2020" / "other-agency" / "report.html").is_file()
    r = xxgk("build", "--params", params, "--out", out, "--formats", "html", "--year", "2021", "--prune", "--quiet",
             timeout=400)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"pruned 2020/other-agency: its params file {other / '2020' / 'other-agency.yaml'} is gone; removed " \
           f"{out / '2020' / 'other-agency'}" in r.stdout  # fmt: skip
    assert not (out / "2020" / "other-agency").exists() and "2020/other-agency" not in _manifest(out)
    assert set(_index(out)) == {"2020/yuyao-commerce", "2021/yuyao-commerce"}


def test_layout_errors_stop_the_build_before_any_kernel(built, tmp_path):
    root, params, other, out = built
    bad = tmp_path / "params"
    shutil.copytree(params, bad)
    (bad / "2021" / "yuyao-commerce.yaml").rename(bad / "2021" / "yuyao.yaml")
    r = xxgk("build", "--params", bad, "--out", tmp_path / "b", "--formats", "html", "--quiet")
    assert r.returncode == 2 and "Traceback" not in r.stderr and not (tmp_path / "b" / "2021").exists()
    assert f"{bad / '2021' / 'yuyao.yaml'}:7: agency.id 'yuyao-commerce' does not match the file name 'yuyao'" in r.stderr


def test_read_only_output_is_one_clean_error_and_outputs_stay(built, tmp_path):
    root, params, other, out = built
    ro = tmp_path / "ro"
    shutil.copytree(out, ro)
    snapshot = {p: p.read_bytes() for p in ro.rglob("*") if p.is_file()}
    r = subprocess.run(["mount", "--bind", str(ro), str(ro)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot bind-mount here (not root)")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        r = xxgk("build", "--params", params, "--out", ro, "--formats", "html", "--force", "--quiet")
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith(f"xxgk build: cannot write {ro}/")
        assert "Read-only file system" in r.stderr and "every existing output is unchanged" in r.stderr
    finally:
        subprocess.run(["umount", str(ro)], check=True)
    assert {p: p.read_bytes() for p in ro.rglob("*") if p.is_file()} == snapshot


def test_full_disk_while_building_stops_with_one_error_and_keeps_the_outputs(built, tmp_path):
    root, params, other, out = built
    full = tmp_path / "full"
    full.mkdir()
    used = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) // 1024
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={used + 120}k", "tmpfs", str(full)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        shutil.copytree(out, full, dirs_exist_ok=True)
        keep = [p for p in full.rglob("report.*") if p.is_file()]
        snapshot = {p: p.read_bytes() for p in keep}
        filler = full / "filler"  # leave ~30 KB: enough for the start of a run, not for a report
        free = shutil.disk_usage(full).free
        filler.write_bytes(b"x" * max(free - 30 * 1024, 0))
        r = xxgk("build", "--params", params, "--out", full, "--formats", "html", "--force", "--quiet", timeout=400)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert r.stderr.count("No space left on device") == 1 and "every existing output is unchanged" in r.stderr
        assert {p: p.read_bytes() for p in keep} == snapshot
        assert not list(full.rglob(".*.tmp*")) and not list(full.rglob(".last-good"))
    finally:
        subprocess.run(["umount", str(full)], check=True)
