"""PDF layouts as agencies print them, made by the suite with a real headless Chromium from our own reports:
tables continued over page breaks with and without a repeated header, labels wrapped over several lines,
larger type (more page breaks), and pages turned sideways or upside down. Every cell must read back exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.ingest.util import synthetic
from xxgk.demo import generate
from xxgk.ingest.pipeline import ingest_file
from xxgk.params import load_params
from xxgk.render.document import report_html

CSS = Path(__file__).parents[2] / "lib" / "xxgk" / "render" / "templates" / "xxgk" / "report.css"
VARIANTS = {
    "repeated-header": "",
    "no-repeated-header": "thead { display: table-row-group; }",
    "wrapped-labels": "table td:first-child, table th:first-child { width: 4.5em; max-width: 4.5em; }"
                      " table { font-size: 9pt; }",  # fmt: skip
    "large-type": "body { font-size: 18pt !important; } table td, table th { font-size: 15pt !important;"
                  " padding: 3mm 1mm !important; }",  # fmt: skip
}


def reports():
    """The sample (2019 format), a demo report of the 2021 format, and a 2021 report whose cells carry notes
    (「22（其中修订16件）」) that must wrap inside their cells."""
    demo = [r for r in generate(1, (2021,))][0]
    return {"sample": load_params(SAMPLE), "demo-2021": demo, "notes-2021": synthetic("2021")}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Every report in every variant as a PDF printed by headless Chromium; plus one with turned pages."""
    import pypdfium2

    from xxgk.render.pdf import ChromiumPrinter

    d = tmp_path_factory.mktemp("pdf-layouts")
    css = CSS.read_text(encoding="utf-8")
    out = {}
    with ChromiumPrinter() as printer:
        for rname, report in reports().items():
            for vname, extra in VARIANTS.items():
                html = d / f"{rname}-{vname}.html"
                html.write_text(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}\n{extra}'
                                f"</style></head><body>{report_html(report)}</body></html>", encoding="utf-8")  # fmt: skip
                out[rname, vname] = (report, printer.print_pdf(html, html.with_suffix(".pdf")))
    report, plain = out["sample", "repeated-header"]
    pdf = pypdfium2.PdfDocument(str(plain))
    for i, rotation in ((2, 90), (3, 270), (4, 180)):
        pdf[i].set_rotation(rotation)
    turned = d / "sample-turned.pdf"
    pdf.save(str(turned))
    pdf.close()
    out["sample", "turned-pages"] = (report, turned)
    return out


def assert_reads_back(report, pdf: Path):
    got = ingest_file(pdf, agency_id=report.agency.id)
    assert {cid for cid in report.fmt.cell_ids() if got.report.cells[cid] != report.cells[cid]} == set()
    assert got.uncertain_cells == []
    # a PDF keeps no line breaks of its own in a cell: a label wraps where the column ends
    flat = lambda exts: [(e.id, e.title, e.after, e.columns, [(r.label.replace("\n", ""), r.values, r.indent)  # noqa: E731
                                                            for r in e.rows]) for e in exts]  # fmt: skip
    assert flat(got.report.extensions) == flat(report.extensions)
    return got


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", ["sample", "demo-2021", "notes-2021"])
def test_tables_over_page_breaks_read_back_exactly(printed, name, variant):
    import pdfplumber

    report, pdf = printed[name, variant]
    with pdfplumber.open(pdf) as doc:
        text = [re.sub(r"\s+", "", p.extract_text() or "") for p in doc.pages]
    first = next(i for i, t in enumerate(text) if "三安全一" in t)  # rows printed only in 表三
    last = next(i for i, t in enumerate(text) if "（七）总计" in t)
    if variant == "large-type":  # 表三 really runs over a page break here
        assert last > first
    assert_reads_back(report, pdf)


def test_pages_turned_sideways_or_upside_down_are_read_upright(printed):
    report, pdf = printed["sample", "turned-pages"]
    got = assert_reads_back(report, pdf)
    assert [d for d in got.doubts if d.startswith("page ")] == [
        "page 3: its text ran at 90°; read turned upright",
        "page 4: its text ran at 270°; read turned upright",
        "page 5: its text ran at 180°; read turned upright",
    ]


def test_a_table_runs_on_after_the_text_without_leaving_half_a_page_blank(printed):
    """表三 (one cell spanning twenty rows) breaks between rows instead of jumping to the next page whole."""
    import pdfplumber

    _, pdf = printed["notes-2021", "repeated-header"]
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages[:-1]:
            body = [c for c in page.chars if c["bottom"] < page.height - 80]  # without the page number
            assert max(c["bottom"] for c in body) > 0.6 * page.height, page.page_number  # not near-empty
