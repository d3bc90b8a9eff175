"""The Word report: tables and merges as in the official template, numbering, fonts, page, signature, PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from tests.ingest.test_xlsx import build_2021_report
from xxgk.formats.layout import VALUE, table_grid
from xxgk.model import Report
from xxgk.render.docx import docx_bytes, write_docx
from xxgk.render.outline import outline


def _tables_in_order(report: Report) -> list[str]:
    out = []
    for item in outline(report):
        if item.table_id:
            out.append(item.table_id)
        if item.extension is not None:
            out.append(item.extension.id)
    return out


def _expected_texts(report: Report, table_id: str):
    grid = table_grid(report.fmt, table_id)
    for gc in grid.cells:
        yield gc, (report.cell(gc.cell_id).text() if gc.kind == VALUE else gc.text)


@pytest.fixture(params=["sample-2019", "built-2021"])
def written(request, tmp_path, sample):
    report = sample if request.param == "sample-2019" else build_2021_report()
    path = tmp_path / f"{request.param}.docx"
    write_docx(report, path)
    return report, docx.Document(path)


def test_every_cell_value_and_merge_reads_back(written):
    report, doc = written
    order = _tables_in_order(report)
    assert len(doc.tables) == len(order)
    for table, tid in zip(doc.tables, order):
        if tid not in ("t2", "t3", "t4"):
            ext = next(e for e in report.extensions if e.id == tid)
            assert [c.text for c in table.rows[0].cells] == ext.columns
            for row, erow in zip(table.rows[1:], ext.rows):
                assert [c.text for c in row.cells] == [erow.label, *("" if v is None else str(v) for v in erow.values)]
            continue
        grid = table_grid(report.fmt, tid)
        assert (len(table.rows), len(table.columns)) == (grid.n_rows, grid.n_cols)
        cells, n = table._cells, grid.n_cols  # python-docx: the merged cell at every grid position
        for gc, text in _expected_texts(report, tid):
            top = cells[gc.row * n + gc.col]
            assert top.text == text, (tid, gc)
            for r in range(gc.row, gc.row + gc.rowspan):
                for c in range(gc.col, gc.col + gc.colspan):
                    assert cells[r * n + c]._tc is top._tc or cells[r * n + c]._tc.vMerge == "continue"
            if gc.col + gc.colspan < n:
                assert cells[gc.row * n + gc.col + gc.colspan]._tc is not top._tc
            if gc.row + gc.rowspan < grid.n_rows:
                assert cells[(gc.row + gc.rowspan) * n + gc.col]._tc is not top._tc


def test_2021_tables_merge_exactly_like_the_official_template(corpus, tmp_path):
    def shape(path, values: bool):
        out = []
        for t in docx.Document(path).tables:
            rows = []
            for tr in t._tbl.tr_lst:
                rows.append([(tc.grid_span, tc.vMerge, re.sub(r"\s+", "", tc.xpath("string(.)")) if values else None)
                             for tc in tr.tc_lst])  # fmt: skip
            out.append(rows)
        return out

    blank = Report(build_2021_report().agency, 2021, "2021")
    write_docx(blank, tmp_path / "blank.docx")
    assert shape(tmp_path / "blank.docx", True) == shape(corpus / "blank-template-2021.docx", True)
    write_docx(build_2021_report(), tmp_path / "full.docx")
    assert shape(tmp_path / "full.docx", False)[:3] == shape(corpus / "blank-template-2021.docx", False)


def test_numbering_headings_fonts_page_and_signature(tmp_path, sample):
    path = tmp_path / "r.docx"
    write_docx(sample, path)
    doc = docx.Document(path)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "余姚市商务局2020年\n政府信息公开工作年度报告"  # too long for one 二号 line: broken between its parts
    headings = [t for t in texts if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert headings == [
        "一、总体情况", "二、主动公开政府信息情况", "三、公开平台建设和信息发布情况", "四、收到和处理政府信息公开申请情况",
        "五、政府信息公开行政复议、行政诉讼情况", "六、政府信息公开工作存在的主要问题及改进措施", "七、其它需要报告的事项",
    ]  # fmt: skip
    assert texts[-2:] == ["余姚市商务局", "2021年1月20日"]
    assert all(p.alignment == 2 for p in doc.paragraphs[-2:])  # right
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("（二）扎实做好"))
    assert body.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    fonts = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")).blob.decode()
    assert '<w:font w:name="仿宋"><w:altName w:val="FangSong"/>' in fonts
    assert '<w:font w:name="黑体"><w:altName w:val="SimHei"/>' in fonts
    s = doc.sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(x.cm, 1) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [3.7, 3.5, 2.8, 2.6]


def test_markdown_narrative(tmp_path):
    path = tmp_path / "r.docx"
    write_docx(build_2021_report(), path)
    paras = [p for p in docx.Document(path).paragraphs]
    first = next(p for p in paras if p.text.startswith("一是"))
    assert first.text == "一是加强组织领导。全年主动公开信息128条。"  # soft break between CJK joins
    assert first.runs[0].bold is True and not first.runs[1].bold
    assert [p.text for p in paras if p.text.startswith("• ")] == ["• 规范栏目设置", "• 强化审查"]
    assert "五、存在的主要问题及整改措施" in [p.text for p in paras]
    assert "信息处理费收取情况" in [p.text for p in paras]  # unnumbered extension title


def test_output_is_deterministic(sample):
    a = docx_bytes(sample)
    b = docx_bytes(sample)
    assert a == b
    import io

    cp = docx.Document(io.BytesIO(a)).core_properties
    assert (cp.created.isoformat(), cp.title) == ("2021-01-20T00:00:00+00:00", "余姚市商务局2020年政府信息公开工作年度报告")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_every_table_text(tmp_path):
    report = build_2021_report()
    path = tmp_path / "r.docx"
    write_docx(report, path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)  # fmt: skip
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    flat = re.sub(r"\s+", "", text)
    pos = 0
    for tid in ("t2", "t3", "t4"):
        cells = sorted(_expected_texts(report, tid), key=lambda x: (x[0].row, x[0].col))
        for gc, expected in cells:
            want = re.sub(r"\s+", "", expected)
            if not want:
                continue
            found = flat.find(want, pos)
            assert found >= 0, (tid, gc.row, gc.col, want)
            pos = found + len(want)
    assert "2022年1月20日" in flat and "示例市测试局" in flat
