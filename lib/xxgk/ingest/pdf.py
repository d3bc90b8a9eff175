"""PDF reader (pdfplumber, text layer only): ruled tables become grids with merged cells resolved from
cell boxes; tables without rules are rebuilt from word positions (``pdfwords``); the remaining lines
become paragraphs (indentation and short lines end a paragraph; page numbers dropped)."""

from __future__ import annotations

import re
from pathlib import Path

from xxgk import limits
from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.ingest.source import GCell, Grid, IngestError, SourceDoc, TextBlock, clean_text, tidy_cjk_spaces

_PAGE_NO = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,3}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,3}\s*页?)?[-—–\s]*$")


def read_pdf(path: str | Path, rules: bool = True, ocr: str = "auto") -> SourceDoc:
    """Read a PDF into a SourceDoc from its text layer, or through OCR (``ocr``: auto = when it has none).

    ``rules=False`` ignores ruling lines and rebuilds every table from word positions.
    """
    import pdfplumber

    if limits.check_size(path, "pdf") == 0:
        raise IngestError(path, _("cannot read the file as .pdf: the file is empty"))
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        if exc.__class__.__name__ == "PDFPasswordIncorrect" or "password" in str(exc).lower():
            raise IngestError(path, _("cannot read the file as .pdf: it is encrypted (password protected); "
                                "save an unprotected copy first")) from None  # fmt: skip
        raise IngestError(path, _("not a readable PDF ({kind}: {exc})").format(kind=exc.__class__.__name__, exc=exc)) from exc
    doc = SourceDoc(path=str(path), kind="pdf")
    try:
        _check_pages(path, _declared_pages(pdf))
    except UserError:
        pdf.stream.close()  # not pdf.close(): it would build every page first
        raise
    pdf = _upright(pdf, doc)
    with pdf:
        try:
            pages = list(pdf.pages)
            _check_pages(path, len(pages))
            scanned = ocr == "always" or not any(p.chars for p in pages)
            if scanned and ocr == "never":
                raise IngestError(path, _("the PDF has no text layer (a scanned document?); read it with --ocr auto"))
            if scanned:
                pages = []
            items: list[tuple[int, float, object]] = []
            for pno, page in enumerate(pages, 1):
                limits.tick(f"page {pno}")
                items.extend(_page_items(page, pno, rules))
        except UserError:
            raise
        except Exception as exc:
            raise IngestError(path, _("cannot read the PDF ({kind}: {exc})").format(kind=exc.__class__.__name__, exc=exc)) from exc
    if scanned:
        from xxgk.ingest.ocr import read_scanned

        return read_scanned(path)
    doc.blocks = _paragraphs(_drop_running(items, len(pages)))
    return doc


def _text_angle(page, sample: int = 400) -> int:
    """The direction most of a page's characters run in, in degrees (0 upright, -90/90/180 sideways)."""
    import math
    from collections import Counter

    angles = Counter(
        round(math.degrees(math.atan2(ch["matrix"][1], ch["matrix"][0])) / 90) * 90 for ch in page.chars[:sample]
    )
    return angles.most_common(1)[0][0] if angles else 0


def _upright(pdf, doc: SourceDoc):
    """The PDF with every page whose text runs sideways or upside down turned upright (its /Rotate corrected:
    a landscape table page, a page scanned the wrong way round); the reader notes which pages were turned."""
    try:
        turns = {i: a for i, page in enumerate(pdf.pages) if (a := _text_angle(page)) % 360}
    except Exception:  # noqa: BLE001 - a damaged page: the reader below reports it
        return pdf
    if not turns:
        return pdf
    import io

    import pdfplumber
    import pypdfium2

    src = pypdfium2.PdfDocument(doc.path)
    try:
        for i, angle in turns.items():
            src[i].set_rotation((src[i].get_rotation() + angle) % 360)
        buf = io.BytesIO()
        src.save(buf)
    finally:
        src.close()
    pdf.close()
    doc.notes.extend(f"page {i + 1}: its text ran at {-a % 360}°; read turned upright" for i, a in turns.items())
    return pdfplumber.open(io.BytesIO(buf.getvalue()))


def _declared_pages(pdf) -> int:
    """The page count the page tree declares (/Count), read before pdfplumber builds every page."""
    from pdfminer.pdftypes import resolve1

    try:
        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # a damaged tree: the pages themselves are counted next
        return 0


def _check_pages(path, n: int) -> None:
    if n > limits.MAX_PDF_PAGES:
        raise limits.LimitError(path, _("the PDF has"), _("{n} pages").format(n=n), str(limits.MAX_PDF_PAGES), "MAX_PDF_PAGES")


def _drop_running(items: list[tuple[int, float, object]], n_pages: int) -> list[tuple[int, float, object]]:
    """Drop running headers and footers: the same line at the same height on most pages."""
    if n_pages < 2:
        return items
    seen: dict[tuple[str, int], set[int]] = {}
    for pno, top, it in items:
        if isinstance(it, dict):
            seen.setdefault((it["text"], round(top / 4)), set()).add(pno)
    running = {k for k, pages in seen.items() if len(pages) >= max(2, n_pages // 2)}
    return [x for x in items if not (isinstance(x[2], dict) and (x[2]["text"], round(x[1] / 4)) in running)]


def _page_items(page, pno: int, rules: bool = True) -> list[tuple[int, float, object]]:
    """Grids and text lines of a page with their vertical position."""
    from xxgk.ingest import pdfwords

    out = []
    boxes = []
    ruled = page.filter(_not_background) if rules else None
    for t in _tables(ruled) if rules else []:
        grid = _grid(t, pno)
        if grid is None:
            continue
        boxes.append(t.bbox)
        out.append((pno, t.bbox[1], grid))
    if boxes:
        page = page.filter(lambda o: not _inside(o, boxes))
    lines = page.extract_text_lines(keep_blank_chars=False)
    if not boxes:
        grids, lines = pdfwords.rebuild(page, pno, lines)
        out.extend((pno, top, g) for top, g in grids)
    for ln in lines:
        text = tidy_cjk_spaces(clean_text(ln["text"])).strip()
        if not text or _PAGE_NO.match(text):
            continue
        size = ln["chars"][0]["size"] if ln.get("chars") else 10.0
        out.append((pno, ln["top"], {"text": text, "x0": ln["x0"], "x1": ln["x1"], "size": size, "width": page.width}))
    return out


def _tables(page) -> list:
    """The ruled tables of a page, each closed where a page break cut its top or bottom rule (``pagebreaks``)."""
    from xxgk.ingest import pagebreaks

    tables = page.find_tables()
    rules = pagebreaks.pdf_rules(page)
    cuts = [y for t in tables for y in pagebreaks.open_edges(t.bbox, rules) if y is not None]
    if not cuts:
        return tables
    return page.find_tables({"explicit_horizontal_lines": cuts})


def _not_background(obj) -> bool:
    """Filled boxes without a stroke (page backgrounds, cell shading) are not table rules."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return True
    return obj["width"] <= 3 or obj["height"] <= 3


def _inside(obj, boxes) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    cx = (obj["x0"] + obj.get("x1", obj["x0"])) / 2
    cy = (obj["top"] + obj.get("bottom", obj["top"])) / 2
    return any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)


def _grid(table, pno: int) -> Grid | None:
    """A ruled table as a grid; a one-column box (a framed paragraph) is not a table."""
    texts = table.extract()
    rows = table.rows
    if not rows or max(sum(1 for c in r.cells if c is not None) for r in rows) < 2:
        return None
    ncol = max(len(r.cells) for r in rows)
    col_x = []
    for c in range(ncol):
        xs = [r.cells[c][0] for r in rows if c < len(r.cells) and r.cells[c] is not None]
        col_x.append(min(xs) if xs else None)
    row_y = [min((b[1] for b in r.cells if b is not None), default=r.bbox[1]) for r in rows]
    origin: dict[tuple[int, int], tuple] = {}
    cells: dict[tuple[int, int], GCell] = {}
    for ri, r in enumerate(rows):
        for ci in range(ncol):
            box = r.cells[ci] if ci < len(r.cells) else None
            if box is not None:
                text = texts[ri][ci] if ri < len(texts) and ci < len(texts[ri]) else ""
                g = GCell(
                    tidy_cjk_spaces(clean_text(text or "")), f"page {pno}, x={round(box[0])} y={round(box[1])}", box
                )
                cells[(ri, ci)] = g
                origin[(ri, ci)] = box
                continue
            x = (col_x[ci] if col_x[ci] is not None else 0) + 1
            y = row_y[ri] + 1
            src = None
            for key in ((ri, ci - 1), (ri - 1, ci)):
                b = origin.get(key)
                if b is not None and b[0] <= x < b[2] and b[1] <= y < b[3]:
                    src = key
                    break
            if src is None:
                cells[(ri, ci)] = GCell("", f"page {pno}, table row {ri + 1} column {ci + 1}", None)
                continue
            g0 = cells[src]
            cells[(ri, ci)] = GCell(g0.text, g0.source, g0.origin)
            origin[(ri, ci)] = origin[src]
    grid_rows = [[cells[(ri, ci)] for ci in range(ncol)] for ri in range(len(rows))]
    return Grid(grid_rows, f"page {pno}, table at y={round(table.bbox[1])}", exact=True)


def _paragraphs(items: list[tuple[int, float, object]]) -> list:
    """Join text lines into paragraphs; grids stay blocks of their own."""
    items.sort(key=lambda it: (it[0], it[1]))
    lines = [it for it in items if isinstance(it[2], dict)]
    margin = min((it[2]["x0"] for it in lines), default=0)
    right = max((it[2]["x1"] for it in lines), default=0)
    out: list = []
    cur: list[str] = []
    cur_src = ""
    prev_short = True

    def flush():
        if cur:
            out.append(TextBlock(_join(cur), cur_src))
            cur.clear()

    for pno, top, it in items:
        if isinstance(it, Grid):
            flush()
            out.append(it)
            prev_short = True
            continue
        size = it["size"] or 10
        indented = it["x0"] > margin + 0.8 * size
        alone = it["x0"] > margin + 0.25 * (right - margin)  # centred or right-aligned: a title, a 落款 line
        if indented or prev_short or re.match(r"^[一二三四五六七八九十]{1,2}、", it["text"]):
            flush()
        if not cur:
            cur_src = f"page {pno}, y={round(top)}"
        cur.append(it["text"])
        prev_short = alone or it["x1"] < right - 2 * size
    flush()
    return out


def _join(lines: list[str]) -> str:
    out = lines[0]
    for ln in lines[1:]:
        if out and ln and (out[-1].isascii() and out[-1].isalnum()) and (ln[0].isascii() and ln[0].isalnum()):
            out += " " + ln
        else:
            out += ln
    return out
