"""Reports written in the official layout (DOCX with merged cells, HTML with rowspan/colspan, the project's
own renderings) re-ingest to exactly their source data."""

from __future__ import annotations

import pytest

from tests.ingest.util import official_docx, official_html, synthetic
from xxgk.ingest.html import parse_html
from xxgk.ingest.pipeline import ingest_doc, ingest_file
from xxgk.model import Report


def assert_same(got: Report, want: Report, narrative: bool = True) -> None:
    assert got.format_id == want.format_id
    assert got.year == want.year
    assert got.agency.name == want.agency.name
    for cid in want.fmt.cell_ids():
        assert got.cells[cid] == want.cell(cid), cid
        assert not got.provenance[cid].uncertain, cid
    if narrative:
        for sid in ("s1", "s2", "s3", "s4", "s5", "s6"):
            assert got.section_text(sid) == want.section_text(sid), sid
        assert got.preamble == want.preamble
        assert got.signature == want.signature


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_docx_in_official_layout_round_trips(tmp_path, format_id):
    src = synthetic(format_id)
    path = tmp_path / "report.docx"
    official_docx(src, path)
    got = ingest_file(path, agency_id=src.agency.id)
    assert_same(got.report, src)
    assert got.report.provenance[f"t3.{src.fmt.table('t3').rows[0].id}.total"].source.startswith("table 2, row 4")
    assert got.doubts == []


def test_docx_of_the_seed_round_trips(tmp_path, sample):
    path = tmp_path / "seed.docx"
    official_docx(sample, path)
    assert_same(ingest_file(path).report, sample)


@pytest.mark.parametrize("format_id", ["2019", "2021"])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_html_with_spans_round_trips(tmp_path, format_id, encoding):
    src = synthetic(format_id)
    path = tmp_path / "report.html"
    path.write_bytes(official_html(src, encoding))
    got = ingest_file(path)
    assert_same(got.report, src)
    # page chrome (navigation, footer) stays out of the report text
    assert "首页" not in got.report.preamble and "版权所有" not in got.report.section_text("s6")
    assert got.report.published == src.published


def test_html_without_meta_charset_is_detected(tmp_path):
    src = synthetic("2021")
    data = official_html(src, "gb18030").replace(b'<meta charset="gb18030">', b"")
    path = tmp_path / "report.htm"
    path.write_bytes(data)
    assert_same(ingest_file(path).report, src)


def test_rendered_html_and_docx_round_trip(sample):
    render = pytest.importorskip("xxgk.render.document")
    rdocx = pytest.importorskip("xxgk.render.docx")
    if not hasattr(render, "report_html") or not hasattr(rdocx, "docx_bytes"):
        pytest.skip("xxgk.render has no report_html/docx_bytes yet")
    for src in (sample, synthetic("2021")):
        got = ingest_doc(parse_html(render.report_html(src), "rendered.html"))
        assert_same(got.report, src, narrative=False)
        assert got.report.extensions == src.extensions


def test_rendered_docx_round_trips(tmp_path, sample):
    rdocx = pytest.importorskip("xxgk.render.docx")
    if not hasattr(rdocx, "docx_bytes"):
        pytest.skip("xxgk.render.docx has no docx_bytes yet")
    for src in (sample, synthetic("2021")):
        path = tmp_path / f"{src.year}.docx"
        path.write_bytes(rdocx.docx_bytes(src))
        got = ingest_file(path)
        assert_same(got.report, src, narrative=False)
        assert got.report.extensions == src.extensions


@pytest.mark.slow
def test_rendered_pdf_round_trips(tmp_path, sample):
    runner = pytest.importorskip("xxgk.batch.runner")
    from xxgk.params_write import save_params

    params = tmp_path / "params"
    save_params(sample, params / "2020" / "yuyao-commerce.yaml")
    result = runner.build_one("yuyao-commerce", 2020, params_dir=params, out_dir=tmp_path / "build",
                              formats=("html", "pdf"))  # fmt: skip
    got = ingest_file(result.paths["pdf"])
    assert_same(got.report, sample, narrative=False)
