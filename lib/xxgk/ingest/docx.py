"""DOCX reader (python-docx): paragraphs and tables in body order; merged cells (gridSpan, vMerge) keep
one origin, so a value spanning three columns is read once."""

from __future__ import annotations

from pathlib import Path

from xxgk import limits
from xxgk.i18n import _
from xxgk.ingest.source import GCell, Grid, IngestError, SourceDoc, TextBlock, clean_text, parse_guard

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: str | Path) -> SourceDoc:
    """Read a Word document into a SourceDoc (archive sizes, ratios and entity declarations checked first)."""
    limits.check_zip(path, "docx")
    doc = SourceDoc(path=str(path), kind="docx")
    with parse_guard(path, "docx"):  # python-docx parses lazily: the whole walk is the parse step
        _read(path, doc)
    return doc


def _read(path, doc: SourceDoc) -> None:
    import docx
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    title = (document.core_properties.title or "").strip()
    if title:
        doc.title = title
    body = document.element.body
    if body is None:
        raise IngestError(path, _("cannot read the file as .docx: the document has no body"))
    _bound_tables(path, body)
    n_par = n_tab = 0
    for el in _body_elements(body):
        limits.tick(f"paragraph {n_par + 1}")
        if el.tag == f"{_W}p":
            n_par += 1
            text = clean_text(Paragraph(el, document).text)
            for line in text.split("\n"):
                if line.strip():
                    doc.blocks.append(TextBlock(line.strip(), f"paragraph {n_par}"))
        elif el.tag == f"{_W}tbl":
            n_tab += 1
            doc.blocks.append(_grid(el, document, n_tab))


def _bound_tables(path, body) -> None:
    """Clip gridSpan to ``MAX_SPAN``; refuse more than ``MAX_TABLES`` tables or tables over the cell limits."""
    tables = body.findall(f".//{_W}tbl")
    if len(tables) > limits.MAX_TABLES:
        raise limits.LimitError(path, _("the document has"), _("{n} tables").format(n=len(tables)), str(limits.MAX_TABLES),
                                "MAX_TABLES")  # fmt: skip
    used = 0
    for n, tbl in enumerate(tables, 1):
        size = 0
        for tr in tbl.iterfind(f"{_W}tr"):
            width = 0
            for tc in tr.iterfind(f"{_W}tc"):
                span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                if span is not None:
                    try:
                        v = max(1, min(int(span.get(f"{_W}val", "1")), limits.MAX_SPAN))
                    except ValueError:
                        v = 1
                    span.set(f"{_W}val", str(v))
                    width += v
                else:
                    width += 1
            size += width
        used = limits.check_cells(path, f"table {n}", size, used)


def _body_elements(body):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for el in body.iterchildren():
        if el.tag in (f"{_W}p", f"{_W}tbl"):
            yield el
        elif el.tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)


def _grid(el, document, n: int) -> Grid:
    from docx.table import Table

    table = Table(el, document)
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row.cells):
            text = "\n".join(clean_text(p.text) for p in cell.paragraphs)
            cells.append(GCell(text.strip("\n"), f"table {n}, row {r + 1}, column {c + 1}", cell._tc))
        rows.append(cells)
    return Grid(rows, f"table {n}", exact=True)
