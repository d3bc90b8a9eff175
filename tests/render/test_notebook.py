"""The template notebook and the nbconvert exporters (entry points, CLI, reuse)."""

from __future__ import annotations

import ast
import subprocess
import sys

import nbformat
import pytest

from tests.render.reports import ROOT

NOTEBOOK = ROOT / "notebooks" / "report.ipynb"


def test_template_shape():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = {}
    for node in ast.parse(params[0].source).body:
        names[node.targets[0].id] = ast.literal_eval(node.value)
    assert names == {"agency": "yuyao-commerce", "year": 2020, "params_dir": "params", "show_checks": True}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(len(c.source.splitlines()) <= 4 for c in code)  # cells call xxgk; no logic in the notebook
    assert all(c.get("outputs") == [] for c in code)  # stored without outputs
    imports = [ln for c in code for ln in c.source.splitlines() if "import" in ln]
    assert imports == ["from xxgk.render import notebook as xn"]


@pytest.mark.slow
def test_runs_in_notebook_folder_with_defaults():
    """As JupyterLab runs it: kernel cwd = notebooks/, no injected parameters; params/ is found upward."""
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert '<span class="title-head">余姚市商务局2020年</span><wbr><span class="title-rest">政府信息公开工作年度报告</span>' in html
    assert '<td class="v" data-cell="t2.procurement.amount" colspan="2">428.8689万元</td>' in html
    assert "附录　分析资料" in html
    title = next(o for o in outputs if "xxgk" in o.get("metadata", {}))
    assert title.metadata["xxgk"]["header"] == "余姚市商务局　2020年政府信息公开工作年度报告"


def test_exporter_entry_points():
    from nbconvert.exporters import get_exporter

    from xxgk.render.html import ReportHTMLExporter
    from xxgk.render.pdf import ChromiumPDFExporter

    assert get_exporter("xxgk-html") is ReportHTMLExporter
    assert get_exporter("xxgk-pdf") is ChromiumPDFExporter


@pytest.mark.slow
def test_html_exporter_reusable_and_identical(builds):
    from xxgk.render.html import ReportHTMLExporter

    exporter = ReportHTMLExporter()
    built = builds["sample"].paths["html"].read_text(encoding="utf-8")
    for _ in range(2):
        body, resources = exporter.from_notebook_node(nbformat.read(builds["sample"].paths["notebook"], as_version=4))
        assert body == built
    assert resources["xxgk"]["title"] == "余姚市商务局2020年政府信息公开工作年度报告"


@pytest.mark.slow
def test_nbconvert_cli_to_xxgk_pdf(builds, tmp_path):
    src = tmp_path / "report.ipynb"
    src.write_bytes(builds["pingtan"].paths["notebook"].read_bytes())
    jupyter = [sys.executable, "-m", "jupyter", "nbconvert"]
    subprocess.run([*jupyter, "--to", "xxgk-pdf", str(src)], check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True).stdout
    assert "平潭综合实验区" in text and "第 1 页" in text.replace("第1页", "第 1 页")
