"""The report as a Word document: title, preamble, numbered parts (as in the HTML report), the official tables
with the merged cells of the official Word template, extension tables and the signature. A4 with the GB/T 9704
margins, a 28.9 pt line pitch (22 lines a page), body paragraphs indented two characters, headings kept with
what follows, tables exactly as wide as the text, the 落款 kept with the last lines of text.

Fonts: body 仿宋 (alternative name FangSong), headings 黑体 (SimHei), set for East Asian text (``w:eastAsia``)
and declared in the font table with their alternative names; where neither is installed the reader's office
suite falls back to its CJK font (Noto Serif/Sans CJK SC on Debian). The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from lxml import etree

from xxgk.formats.layout import LABEL, NOTE, TITLE, VALUE, table_grid
from xxgk.model import Extension, Report
from xxgk.params_write import write_text_atomic
from xxgk.render.document import chinese_date, title_lines
from xxgk.render.docx_text import add_markdown, add_run, set_run_fonts
from xxgk.render.outline import outline
from xxgk.render.safe_text import clean_report

BODY_FONT, HEAD_FONT, LATIN_FONT = "仿宋", "黑体", "Times New Roman"
#: font-table entries: name → (alternative name, panose) — Word substitutes by these when a font is missing
FONT_TABLE = {"仿宋": ("FangSong", "02010609060101010101"), "黑体": ("SimHei", "02010609060101010101")}
BODY_PT, TITLE_PT, TABLE_PT = 16, 22, 10.5
#: the dense tables are set smaller (as in the HTML), so four- and five-digit counts fit their columns
TABLE_PT_BY_ID = {"t3": 9, "t4": 9}
LINE_PT = 28.9  # exact line pitch of the body: 22 lines in the 225 mm text block (GB/T 9704)
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}  # GB/T 9704-2012
#: column proportions of the official 2021 Word template (twips; scaled to the text width, which is narrower)
COLUMN_TWIPS = {"t2": [2435] * 4, "t3": [754, 921, 3271] + [685] * 7, "t4": [649] * 7 + [650] * 8}
CELL_MARGIN_TWIPS = 57  # as in the template
ROW_TWIPS = {"t2": 340, "t3": 400, "t4": 672}
TITLE_SHADE = "C6D9F1"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _style_defaults(doc) -> None:
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(rpr, BODY_FONT, LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.widow_control = True


def _font_table(doc) -> None:
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, (alt, panose) in FONT_TABLE.items():
        f = etree.SubElement(root, qn("w:font"))
        f.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:panose1", panose), ("w:charset", "86"), ("w:family", "modern"),
                         ("w:pitch", "fixed")):  # fmt: skip
            etree.SubElement(f, qn(tag)).set(qn("w:val"), val)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(doc) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Cm(21), Cm(29.7)
    s.top_margin, s.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    s.left_margin, s.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    s.header_distance, s.footer_distance = Cm(1.5), Cm(2.8)
    _page_number(s.footer.paragraphs[0])


def _page_number(p) -> None:
    """Footer 「— N —」, centred."""
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, "— ", BODY_FONT, 14)
    run = add_run(p, "", BODY_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    add_run(p, " —", BODY_FONT, 14)


def _text_width_twips() -> int:
    return int((21 - MARGINS_CM["left"] - MARGINS_CM["right"]) / 2.54 * 1440)


def text_ems(text: str) -> float:
    """The width of a text in ems of its size: CJK characters are 1, ASCII (digits, Latin) about 0.55."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def set_first_line_chars(p, chars: int = 2, size: float = BODY_PT) -> None:
    """A first-line indent of ``chars`` characters (``w:firstLineChars``, with the same indent in points)."""
    p.paragraph_format.first_line_indent = Pt(size * chars)
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _title(doc, report: Report):
    """The title, centred; too long for one line, it breaks only between 「机关+年份」 and 「政府信息公开工作年度报告」."""
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.keep_with_next = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pf.line_spacing = Pt(36)
    pf.space_after = Pt(LINE_PT)
    head, rest = title_lines(report)
    fits = text_ems(report.title) * TITLE_PT <= _text_width_twips() / 20
    lines = [report.title] if fits or not rest else [head, rest]
    for i, line in enumerate(lines):
        run = add_run(p, line, HEAD_FONT, TITLE_PT, bold=True)
        if i < len(lines) - 1:
            run.add_break()
    return p


def _heading(doc, text: str, *, numbered: bool = True):
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.keep_with_next = True
    if numbered:
        set_first_line_chars(p)
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, text, HEAD_FONT, BODY_PT)
    return p


def _cell_paragraph(cell, text: str, align, bold: bool = False, size: float = TABLE_PT) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    pf = p.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = add_run(p, line, BODY_FONT, size, bold=bold)
        if i < len(lines) - 1:
            run.add_break()
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.insert_element_before(shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                               "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def _row_props(row, height_twips: int, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    h = OxmlElement("w:trHeight")
    h.set(qn("w:val"), str(height_twips))
    h.set(qn("w:hRule"), "atLeast")
    trpr.append(h)


def _new_table(doc, n_rows: int, widths: list[int]):
    """A bordered, centred table with fixed column widths in these proportions, exactly as wide as the text."""
    table = doc.add_table(rows=n_rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = _text_width_twips()
    twips = [int(w * total / sum(widths)) for w in widths]
    twips[-1] += total - sum(twips)  # the columns sum to the text width exactly
    for col, w in zip(table.columns, twips):
        col.width = Twips(w)
    cells = table._cells  # computed once: python-docx recomputes the whole grid on every table.cell()
    for i, cell in enumerate(cells):
        cell.width = Twips(twips[i % len(twips)])
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(sum(twips)))
    tblw.set(qn("w:type"), "dxa")
    ind = OxmlElement("w:tblInd")
    ind.set(qn("w:w"), "0")
    ind.set(qn("w:type"), "dxa")
    tblpr.insert_element_before(ind, "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                "w:tblCaption", "w:tblDescription", "w:tblPrChange")  # fmt: skip
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.insert_element_before(layout, "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                                "w:tblPrChange")  # fmt: skip
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tblpr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    return table


def official_table(doc, report: Report, table_id: str):
    """Add table t2/t3/t4 in the official layout: the grid's merged cells, values centred, blanks blank."""
    grid = table_grid(report.fmt, table_id)
    table = _new_table(doc, grid.n_rows, COLUMN_TWIPS[table_id][: grid.n_cols])
    size = TABLE_PT_BY_ID.get(table_id, TABLE_PT)
    for i, row in enumerate(table.rows):
        _row_props(row, ROW_TWIPS[table_id], header=i < grid.header_rows)
    cells, n = table._cells, grid.n_cols  # before any merge; grid cells never overlap
    block_starts = {gc.row for gc in grid.cells if gc.kind == TITLE}
    for gc in grid.cells:
        cell = cells[gc.row * n + gc.col]
        if gc.rowspan > 1 or gc.colspan > 1:
            cell = cell.merge(cells[(gc.row + gc.rowspan - 1) * n + gc.col + gc.colspan - 1])
        if gc.kind == VALUE:
            _cell_paragraph(cell, report.cell(gc.cell_id).text(), WD_ALIGN_PARAGRAPH.CENTER, size=size)
        else:
            left = gc.kind in (TITLE, NOTE) or (gc.kind == LABEL and table_id == "t3" and gc.col == 2)
            _cell_paragraph(cell, gc.text, WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER,
                            size=min(9, size) if gc.kind == NOTE else size)  # fmt: skip
            if gc.kind == TITLE:
                _shade(cell, TITLE_SHADE)
        end = gc.row + gc.rowspan  # header rows, and the rows of a 表二 block, stay with the rows after them
        if end < grid.n_rows and (end < grid.header_rows or (block_starts and end not in block_starts)):
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True
    return table


def extension_table(doc, ext: Extension):
    """Add a local extension table: header row, labels indented by level, line breaks kept."""
    widths = [5] + [2] * (len(ext.columns) - 1)
    table = _new_table(doc, len(ext.rows) + 1, widths)
    for i, row in enumerate(table.rows):
        _row_props(row, 400, header=i == 0)
    cells, n = table._cells, len(ext.columns)
    for j, text in enumerate(ext.columns):
        _cell_paragraph(cells[j], text, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    for i, row in enumerate(ext.rows, start=1):
        cell = cells[i * n]
        _cell_paragraph(cell, row.label, WD_ALIGN_PARAGRAPH.LEFT)
        cell.paragraphs[0].paragraph_format.left_indent = Pt(TABLE_PT * max(0, min(int(row.indent or 0), 4) - 1))
        for j, v in enumerate(row.values, start=1):
            _cell_paragraph(cells[i * n + j], "" if v is None else str(v), WD_ALIGN_PARAGRAPH.CENTER)
    return table


def _gap(doc, keep: bool) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(10)
    p.paragraph_format.keep_with_next = keep


def _signature(doc, report: Report) -> None:
    """The 落款 after one blank line, kept on the page of the report's last lines of text."""
    sig = report.signature
    if sig is None:
        return
    blocks = [el for el in doc.element.body if el.tag != qn("w:sectPr")]
    if blocks and blocks[-1].tag == qn("w:p"):  # its last lines (widow control: at least two) go with the 落款
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph().paragraph_format.keep_with_next = True
    texts = [t for t in (sig.agency or report.agency.name, chinese_date(sig.date)) if t]
    for i, text in enumerate(texts):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_PT * 2)
        p.paragraph_format.keep_with_next = i < len(texts) - 1
        add_run(p, text, BODY_FONT, BODY_PT)


CORE_TEXT_LIMIT = 255


def _core_properties(doc, report: Report) -> None:
    cp = doc.core_properties
    when = report.published or (report.signature.date if report.signature and report.signature.date else None)
    stamp = dt.datetime.combine(when or dt.date(report.year + 1, 1, 1), dt.time(0, 0))
    cp.title = report.title[:CORE_TEXT_LIMIT]  # Word's core properties hold at most 255 characters
    cp.author = report.agency.name[:CORE_TEXT_LIMIT]
    cp.last_modified_by = "xxgk"
    cp.subject = "政府信息公开工作年度报告"
    cp.keywords = f"{report.year};{report.agency.id};format {report.format_id}"
    cp.comments = ""
    cp.created = cp.modified = stamp
    cp.last_printed = stamp
    cp.revision = 1


def build_document(report: Report):
    """The Word document of a report (python-docx ``Document``)."""
    report = clean_report(report)  # no character Word's XML forbids
    doc = Document()
    _style_defaults(doc)
    _font_table(doc)
    _page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _title(doc, report)
    add_markdown(doc, report.preamble, BODY_FONT, BODY_PT)
    for item in outline(report):
        _heading(doc, item.heading, numbered=bool(item.numeral))
        if item.section_id:
            add_markdown(doc, report.section_text(item.section_id), BODY_FONT, BODY_PT)
        if item.table_id:
            _gap(doc, keep=True)
            official_table(doc, report, item.table_id)
            _gap(doc, keep=False)
        if item.extension is not None:
            _gap(doc, keep=True)
            extension_table(doc, item.extension)
            _gap(doc, keep=False)
    _signature(doc, report)
    _core_properties(doc, report)
    return doc


def docx_bytes(report: Report) -> bytes:
    """The .docx file of a report as bytes, with fixed zip timestamps so equal reports give equal bytes."""
    raw = io.BytesIO()
    build_document(report).save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(report: Report, path: str | Path) -> Path:
    """Write the report as a .docx file (temporary file, then rename)."""
    return write_text_atomic(path, docx_bytes(report))


__all__ = ["build_document", "docx_bytes", "extension_table", "official_table", "write_docx"]
