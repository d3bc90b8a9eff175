"""DOCX reader (python-docx): paragraphs and tables in body order; merged cells (gridSpan, vMerge) keep
one origin, so a value spanning three columns is read once."""

from __future__ import annotations

import zipfile
from pathlib import Path

from xxgk.ingest.source import GCell, Grid, IngestError, SourceDoc, TextBlock, clean_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: str | Path) -> SourceDoc:
    """Read a Word document into a SourceDoc."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(path, f"not a readable .docx file ({exc.__class__.__name__}: {exc})") from exc
    doc = SourceDoc(path=str(path), kind="docx")
    title = (document.core_properties.title or "").strip()
    if title:
        doc.title = title
    n_par = n_tab = 0
    for el in _body_elements(document.element.body):
        if el.tag == f"{_W}p":
            n_par += 1
            from docx.text.paragraph import Paragraph

            text = clean_text(Paragraph(el, document).text)
            for line in text.split("\n"):
                if line.strip():
                    doc.blocks.append(TextBlock(line.strip(), f"paragraph {n_par}"))
        elif el.tag == f"{_W}tbl":
            n_tab += 1
            doc.blocks.append(_grid(el, document, n_tab))
    return doc


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
