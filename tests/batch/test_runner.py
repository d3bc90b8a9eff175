"""build_one: refusals before any kernel starts, outputs and timings, readable parameters, failing notebooks."""

from __future__ import annotations

import json
import time

import nbformat
import pytest

from tests.render.reports import ROOT, session_builds, write_params
from xxgk.batch import runner
from xxgk.batch.runner import BuildError, build_one, template_parameters, validate_parameters
from xxgk.batch.worker import failure_details
from xxgk.errors import UserError

NOTEBOOK = ROOT / "notebooks" / "report.ipynb"


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if Papermill is asked to run anything."""
    import papermill

    def refuse(*a, **k):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.fixture
def params(tmp_path):
    return write_params(tmp_path / "params")


def _template(tmp_path, edit) -> str:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    edit(nb)
    path = tmp_path / "template.ipynb"
    nbformat.write(nb, path)
    return str(path)


def test_template_declares_four_parameters():
    assert template_parameters(NOTEBOOK) == {
        "agency": "yuyao-commerce", "year": 2020, "params_dir": "params", "show_checks": True,
    }  # fmt: skip


def test_refuses_template_without_parameters_tag(tmp_path, params, no_kernel):
    def untag(nb):
        for c in nb.cells:
            c.metadata.pop("tags", None)

    with pytest.raises(BuildError, match=r"has no cell tagged 'parameters'; it needs exactly one"):
        build_one(
            "yuyao-commerce", 2020, params_dir=params, out_dir=tmp_path / "o", notebook=_template(tmp_path, untag)
        )
    assert not (tmp_path / "o").exists()


def test_refuses_two_parameter_cells(tmp_path, params, no_kernel):
    def twice(nb):
        nb.cells[3].metadata["tags"] = ["parameters"]

    with pytest.raises(BuildError, match="has 2 cells tagged 'parameters'"):
        build_one("yuyao-commerce", 2020, params_dir=params, notebook=_template(tmp_path, twice))


def test_refuses_undeclared_parameter(tmp_path, params, no_kernel):
    def drop_show_checks(nb):
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        cell.source = "\n".join(ln for ln in cell.source.splitlines() if not ln.startswith("show_checks"))

    template = _template(tmp_path, drop_show_checks)
    with pytest.raises(
        BuildError, match=r"does not declare the parameter\(s\) show_checks; it declares: agency, year, params_dir"
    ):
        build_one("yuyao-commerce", 2020, params_dir=params, notebook=template, parameters={"show_checks": False})
    with pytest.raises(BuildError, match=r"does not declare the parameter\(s\) colour"):
        build_one("yuyao-commerce", 2020, params_dir=params, parameters={"colour": "red"})


def test_refuses_wrong_types(params, no_kernel):
    with pytest.raises(BuildError, match=r"parameter show_checks='yes': expected bool"):
        build_one("yuyao-commerce", 2020, params_dir=params, parameters={"show_checks": "yes"})
    with pytest.raises(UserError, match=r"year must be a whole number such as 2020, got '2020'"):
        build_one("yuyao-commerce", "2020", params_dir=params)
    with pytest.raises(BuildError, match=r"parameter year=True: expected int"):
        validate_parameters(NOTEBOOK, {"year": True})


def test_refuses_unknown_agency_and_year(params, no_kernel):
    with pytest.raises(UserError) as exc:
        build_one("yuyao-comerce", 2020, params_dir=params)
    assert str(exc.value) == ("unknown agency 'yuyao-comerce' for 2020; agencies with params for 2020: "
                              "evil-agency, yuyao-commerce; did you mean 'yuyao-commerce'?")  # fmt: skip
    with pytest.raises(UserError) as exc:
        build_one("pingtan-zone", 2021, params_dir=params)
    assert str(exc.value) == f"no params for year 2021 in {params}; years with params: 2019, 2020, 2022"
    with pytest.raises(
        UserError, match=r"unknown agency 'pingtan-zone' for 2020 \(pingtan-zone has params for 2019, 2022\)"
    ):
        build_one("pingtan-zone", 2020, params_dir=params)
    with pytest.raises(UserError, match="unknown output format"):
        build_one("yuyao-commerce", 2020, params_dir=params, formats=("html", "odt"))
    with pytest.raises(UserError, match="params directory 'nowhere' not found"):
        build_one("yuyao-commerce", 2020, params_dir="nowhere")


def test_readable_chinese_parameters():
    from papermill.translators import translate_parameters

    runner._register_readable_translator()
    code = translate_parameters("python", "python", {"agency": "余姚市商务局", "year": 2020}, "Parameters")
    assert 'agency = "余姚市商务局"' in code and "\\u" not in code


@pytest.mark.slow
def test_build_result(tmp_path_factory):
    from xxgk.checks import check_report, summary
    from xxgk.params import load_params

    builds = session_builds(tmp_path_factory)
    result = builds["sample"]
    out = builds["base"] / "build" / "2020" / "yuyao-commerce"
    assert (result.agency, result.year) == ("yuyao-commerce", 2020)
    assert result.paths == {"notebook": out / "report.ipynb", "html": out / "report.html", "pdf": out / "report.pdf",
                            "analysis_html": out / "analysis.html", "analysis_pdf": out / "analysis.pdf"}  # fmt: skip
    names = ["analysis.html", "analysis.pdf", "report.html", "report.ipynb", "report.pdf"]
    assert sorted(p.name for p in out.iterdir()) == names  # no temp files left
    assert set(result.seconds) == {"execute", "html", "pdf"} and all(v > 0 for v in result.seconds.values())
    report = load_params(builds["params"] / "2020" / "yuyao-commerce.yaml")
    assert result.checks == summary(check_report(report, params_dir=builds["params"]))
    nb = nbformat.read(result.paths["notebook"], as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'agency = "yuyao-commerce"' in injected.source and "year = 2020" in injected.source
    assert nb.metadata.papermill.parameters.agency == "yuyao-commerce"
    assert all(c.metadata.papermill.status == "completed" for c in nb.cells if c.cell_type == "code")


@pytest.mark.slow
def test_failing_notebook(tmp_path, params):
    def explode(nb):
        nb.cells.insert(3, nbformat.v4.new_code_cell('raise ValueError("年份无效")'))

    template = _template(tmp_path, explode)
    out = tmp_path / "out"
    t0 = time.perf_counter()
    with pytest.raises(
        BuildError, match=r"notebook failed in cell \d+: ValueError: 年份无效 \(see .*report.failed.ipynb\)"
    ):
        build_one("yuyao-commerce", 2020, params_dir=params, out_dir=out, notebook=template, formats=("html",))
    assert time.perf_counter() - t0 < 60
    files = sorted(p.name for p in (out / "2020" / "yuyao-commerce").iterdir())
    assert files == ["report.failed.ipynb"]
    failed = json.loads((out / "2020" / "yuyao-commerce" / "report.failed.ipynb").read_text(encoding="utf-8"))
    assert failed["metadata"]["papermill"]["exception"] is True


@pytest.mark.slow
def test_timeout(tmp_path, params):
    def sleepy(nb):
        nb.cells.insert(3, nbformat.v4.new_code_cell("import time; time.sleep(60)"))

    template = _template(tmp_path, sleepy)
    out = tmp_path / "out"
    t0 = time.perf_counter()
    with pytest.raises(
        BuildError, match=r"notebook timed out after 2 s in the cell starting 'import time; time.sleep\(60\)'"
    ):
        build_one(
            "yuyao-commerce", 2020, params_dir=params, out_dir=out, notebook=template, formats=("html",), timeout=2
        )
    assert time.perf_counter() - t0 < 30
    assert sorted(p.name for p in (out / "2020" / "yuyao-commerce").iterdir()) == ["report.failed.ipynb"]
    details = failure_details(out / "2020" / "yuyao-commerce" / "report.failed.ipynb")  # what ran, and where it stopped
    assert details["cell_source"] == "import time; time.sleep(60)" and details["cell_index"] == 3


@pytest.mark.slow
def test_docx_only(tmp_path, params):
    result = build_one("yuyao-commerce", 2020, params_dir=params, out_dir=tmp_path, formats=("docx",))
    out = tmp_path / "2020" / "yuyao-commerce"
    assert result.paths == {"notebook": out / "report.ipynb", "docx": out / "report.docx"}
    assert sorted(p.name for p in out.iterdir()) == ["report.docx", "report.ipynb"]
    assert (out / "report.docx").read_bytes()[:2] == b"PK"
    assert set(result.seconds) == {"execute", "docx"}


@pytest.mark.slow
def test_no_analysis_without_checks(tmp_path, params):
    """Run with show_checks = False: the publication only; an earlier build's analysis files are removed."""
    out = tmp_path / "2020" / "yuyao-commerce"
    out.mkdir(parents=True)
    (out / "analysis.html").write_text("old", encoding="utf-8")
    (out / "analysis.pdf").write_bytes(b"%PDF-old")
    result = build_one("yuyao-commerce", 2020, params_dir=params, out_dir=tmp_path, formats=("html",),
                       parameters={"show_checks": False})  # fmt: skip
    assert result.paths == {"notebook": out / "report.ipynb", "html": out / "report.html"}
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.ipynb"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<div class="signature">' in html and "分析资料" not in html


@pytest.mark.slow
def test_template_without_report_outputs(tmp_path, params):
    def no_head(nb):
        nb.cells = [c for c in nb.cells if "show_head" not in c.source]

    template = _template(tmp_path, no_head)
    with pytest.raises(BuildError, match=r"ran but displayed no report: .*xn.show_head\(report\)"):
        build_one("yuyao-commerce", 2020, params_dir=params, out_dir=tmp_path / "out", notebook=template,
                  formats=("html",))  # fmt: skip
    assert not (tmp_path / "out" / "2020" / "yuyao-commerce" / "report.html").exists()
