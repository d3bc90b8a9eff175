"""HTML reader (lxml): charset from BOM/meta/detection, page chrome skipped, tables expanded into grids
(rowspan/colspan) with DOM paths as provenance, narrative as text blocks."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from xxgk import limits
from xxgk.i18n import _
from xxgk.ingest import pictures
from xxgk.ingest.source import GCell, Grid, IngestError, SourceDoc, TextBlock, clean_text
from xxgk.ingest.text import decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
SKIP = {"script", "style", "noscript", "iframe", "nav", "footer", "form", "select", "button", "head", "template",
        "svg", "aside", "object", "embed", "input", "textarea", "map"}  # fmt: skip
INLINE = {"span", "a", "strong", "b", "i", "em", "u", "font", "sub", "sup", "small", "big", "label", "abbr", "code",
          "s", "strike", "ins", "del", "mark", "o:p", "time", "cite", "q", "var", "img", "wbr"}  # fmt: skip
_CHROME = re.compile(r"(^|[\s_-])(nav|navbar|menu|footer|header|breadcrumb|crumbs?|share|sidebar|toolbar|banner|"
                     r"copyright|topbar|bottom)([\s_-]|$)", re.I)  # fmt: skip


def read_html(path: str | Path, ocr: str = "auto") -> SourceDoc:
    """Read an HTML page into a SourceDoc (its pictures beside it through OCR, see ``pictures``)."""
    limits.check_size(path, "html")
    data = Path(path).read_bytes()
    m = _META_CHARSET.search(data[:4096])
    text = decode(data, m.group(1).decode("ascii") if m else None, path)
    return parse_html(text, str(path), ocr, pictures.Resources(folder=Path(path).parent))


def parse_html(text: str, path: str = "<html>", ocr: str = "auto", resources=None) -> SourceDoc:
    """Parse HTML text into a SourceDoc; ``<img>`` tables are read from ``resources`` (a ``pictures.Resources``:
    the page's folder or web archive; inline data: pictures always) with OCR mode ``ocr``."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise IngestError(path, _("empty HTML page"))
    text, inline = pictures.extract_data_uris(text)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.MAX_HTML_BYTES:
        raise limits.LimitError(path, _("the HTML page (inline data: URIs dropped) is"), limits.size_text(size),
                                limits.size_text(limits.MAX_HTML_BYTES), "MAX_HTML_BYTES")  # fmt: skip
    parser = lxml.html.HTMLParser(huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(path, _("not readable HTML ({exc})").format(exc=exc)) from exc
    _check_complete(path, parser)
    doc = SourceDoc(path=path, kind="html")
    t = root.find(".//title")
    if t is not None and t.text_content().strip():
        doc.title = t.text_content().strip()
    body = root.find("body")
    _Walker(doc).walk(body if body is not None else root, "body")
    res = resources or pictures.Resources()
    res.inline = inline
    pictures.resolve(doc, res, ocr)
    return doc


def _check_complete(path: str, parser) -> None:
    """libxml2 stops at its resource limits (a text node or attribute over 10 MB) and keeps what it had read:
    a page cut short is refused, never half-read silently."""
    for e in parser.error_log:
        if e.level_name == "FATAL":
            raise IngestError(path, _("the HTML parser stopped at line {line}, column {column} ({message}); the page was not read to the end").format(line=e.line, column=e.column, message=e.message.strip()))  # fmt: skip


def _is_chrome(el) -> bool:
    attrs = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(attrs.strip()) and bool(_CHROME.search(attrs)) and el.tag not in ("table", "td", "tr")


class _Walker:
    """Linearises the DOM into text blocks (one per block element or <br> line) and grids."""

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        self.buf: list[str] = []
        self.buf_path = ""
        self.cells = 0  # table positions so far (MAX_DOCUMENT_CELLS)

    def flush(self) -> None:
        """Emit the collected inline text as one text block per line."""
        text = clean_text("".join(self.buf))
        self.buf = []
        for line in text.split("\n"):
            s = re.sub(r"[ \t\r\f\v]+", " ", line).strip()
            if s:
                self.doc.blocks.append(TextBlock(s, self.buf_path))

    def add(self, text: str | None, path: str) -> None:
        """Collect inline text (with the path of the element it starts in)."""
        if text:
            if not self.buf:
                self.buf_path = path
            self.buf.append(text)

    def walk(self, el, path: str) -> None:
        """Linearise an element: tables become grids, block elements text blocks; chrome is skipped."""
        if not isinstance(el.tag, str):
            return
        tag = el.tag.lower()
        if tag in SKIP or (tag == "header" and el.find(".//table") is None) or _is_chrome(el):
            return
        if tag == "table" and not self._layout_table(el):
            self.flush()
            self.doc.blocks.append(_grid(el, path, self))
            return
        self.add(el.text, path)
        counts: dict[str, int] = {}
        for child in el:
            if not isinstance(child.tag, str):
                self.add(child.tail, path)
                continue
            ctag = child.tag.lower()
            counts[ctag] = counts.get(ctag, 0) + 1
            cpath = f"{path}/{ctag}[{counts[ctag]}]"
            if ctag == "br":
                self.add("\n", path)
            elif ctag == "img" or (ctag in INLINE and child.find(".//img") is not None and not _has_block(child)):
                self.add(_inline_text(child), cpath)
                self.flush()
                for k, img in enumerate([child] if ctag == "img" else child.iter("img"), 1):
                    ipath = cpath if ctag == "img" else f"{cpath}//img[{k}]"
                    self.doc.blocks.append(pictures.Picture((img.get("src") or "").strip(), ipath))
            elif ctag in INLINE and not _has_block(child):
                self.add(_inline_text(child), cpath)
            else:
                self.flush()
                self.walk(child, cpath)
                self.flush()
            self.add(child.tail, path)
        if tag not in INLINE:
            self.flush()

    @staticmethod
    def _layout_table(el) -> bool:
        """A table used for page layout (it holds other tables or whole paragraphs of text)."""
        if el.find(".//table") is not None:
            return True
        cells = el.xpath(".//td|.//th")
        if el.find(".//img") is not None and not re.search(r"\d", el.text_content()):
            return True  # a frame around pictures (of the tables)
        return len(cells) <= 2 and len(el.text_content()) > 200


def _has_block(el) -> bool:
    return any(
        isinstance(d.tag, str) and d.tag.lower() not in INLINE and d.tag.lower() != "br" for d in el.iterdescendants()
    )


def _inline_text(el) -> str:
    parts = []
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag.lower() == "br":
            parts.append("\n")
        elif node.text and node.tag.lower() not in SKIP:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _cell_text(td) -> str:
    lines = []
    cur = []
    for node in td.iter():
        if not isinstance(node.tag, str):
            continue
        t = node.tag.lower()
        if t in SKIP:
            continue
        if t in ("br", "p", "div") and node is not td and cur:
            lines.append("".join(cur))
            cur = []
        if node.text and t not in SKIP:
            cur.append(node.text)
        if node is not td and node.tail:
            cur.append(node.tail)
    lines.append("".join(cur))
    out = [re.sub(r"[ \t\r\f\v\xa0]+", " ", clean_text(x)).strip() for x in lines]
    return "\n".join(x for x in out if x)


def _span(td, attr: str) -> int:
    """A rowspan/colspan, clipped to ``MAX_SPAN`` (no official table spans more than a dozen)."""
    digits = re.sub(r"\D", "", td.get(attr, "1"))[:6]
    return max(1, min(int(digits or 1), limits.MAX_SPAN))


def _grid(table, path: str, walker: _Walker) -> Grid:
    """The table's cells placed on a rectangle, merged cells repeated with one origin."""
    trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    spans = [[(min(_span(td, "rowspan"), len(trs) - r), _span(td, "colspan")) for td in tr.xpath("./td|./th")]
             for r, tr in enumerate(trs)]  # fmt: skip
    walker.cells = limits.check_cells(walker.doc.path, f"the table at {path}",
                                      sum(rs * cs for row in spans for rs, cs in row), walker.cells)  # fmt: skip
    grid: dict[tuple[int, int], GCell] = {}
    for r, tr in enumerate(trs):
        limits.tick(f"{path} tr[{r + 1}]")
        c = 0
        for k, td in enumerate(tr.xpath("./td|./th")):
            while (r, c) in grid:
                c += 1
            rs, cs = spans[r][k]
            text = _cell_text(td)
            src = f"{path} tr[{r + 1}]/td[{k + 1}]"
            for dr in range(rs):
                for dc in range(cs):
                    if r + dr < len(trs):
                        grid[(r + dr, c + dc)] = GCell(text, src, td)
            c += cs
    width = max((c for _, c in grid), default=-1) + 1
    rows = []
    for r in range(len(trs)):
        row = [grid.get((r, c)) or GCell("", f"{path} tr[{r + 1}] (no cell)", None) for c in range(width)]
        while row and row[-1].origin is None and not row[-1].text:
            row.pop()
        rows.append(row)
    return Grid(rows, path, exact=True)
