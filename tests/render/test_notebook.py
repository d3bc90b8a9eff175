"""The template notebook and the nbconvert exporters (entry points, CLI, reuse)."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from bs4 import BeautifulSoup

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
    parts = {}
    for o in outputs:
        if o.get("data", {}).get("text/html"):
            parts.setdefault(o.metadata.get("xxgk_part", "report"), []).append(o.data["text/html"])
    assert "附录" not in "".join(parts["report"]) and "分析资料" not in "".join(parts["report"])
    analysis = "".join(parts["analysis"])  # JupyterLab shows the appendix too, tagged for analysis.html
    assert analysis.startswith('<div class="appendix-head"><h2>分析资料</h2>') and "一、校验结果" in analysis
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


T3_LABELS = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "四、结转下年度继续办理")


@pytest.mark.slow
@pytest.mark.parametrize("to", ["xxgk-html", "xxgk-pdf"])
def test_nbconvert_execute_gives_the_full_report(tmp_path, to):
    """``--execute`` runs the template (kernel cwd notebooks/, its default parameters) before exporting."""
    cmd = [sys.executable, "-m", "jupyter", "nbconvert", "--to", to, "--execute", "--output-dir", str(tmp_path),
           str(NOTEBOOK)]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=240)
    if to == "xxgk-html":
        text = BeautifulSoup((tmp_path / "report.html").read_text(encoding="utf-8"), "lxml").get_text()
    else:
        pdf = tmp_path / "report.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert pdf.read_bytes()[:5] == b"%PDF-"
    flat = re.sub(r"\s+", "", text)
    assert "余姚市商务局2020年政府信息公开工作年度报告" in flat
    assert all(label in flat for label in T3_LABELS)
    assert "余姚市商务局2021年1月20日" in flat
    assert "分析资料" not in flat and "校验结果" not in flat  # the publication only
    assert [p.name for p in tmp_path.iterdir()] == [f"report.{to[5:]}"]


@pytest.mark.parametrize("to", ["xxgk-html", "xxgk-pdf"])
def test_nbconvert_refuses_unexecuted_notebook(tmp_path, to):
    src = tmp_path / "report.ipynb"
    shutil.copy(NOTEBOOK, src)
    proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", to, str(src)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2
    assert "notebook report has no report outputs (it was not executed" in proc.stderr
    assert "--execute" in proc.stderr and "Traceback" not in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["report.ipynb"]  # no blank file
