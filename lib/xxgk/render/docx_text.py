"""Narrative Markdown into Word paragraphs (markdown-it tokens → python-docx runs) with Chinese fonts.

Paragraphs get a two-character first-line indent; lists, quotes, headings, code and simple tables are kept;
raw HTML is never interpreted. A soft line break between Chinese characters joins without a space.
"""

from __future__ import annotations

import functools
import re

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\U00020000-\U0002ffff]")
MONO_FONT = "Courier New"
SOFT = object()


def set_run_fonts(rpr, east: str, latin: str) -> None:
    """Set the fonts of a run or style ``w:rPr``: ``w:eastAsia`` for Chinese, ``latin`` for the rest."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:hint"), "eastAsia")


def add_run(paragraph, text: str, font: str, size: float, bold: bool = False, italic: bool = False,
            latin: str = "Times New Roman"):  # fmt: skip
    """Append a run in a Chinese font (East Asian slot) and size; return it."""
    run = paragraph.add_run(text)
    set_run_fonts(run._r.get_or_add_rPr(), font, latin)
    run.font.size = Pt(size)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    return run


@functools.cache
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    return md


def _segments(inline) -> list:
    """(text, bold, italic, mono) segments of an inline token; soft breaks as SOFT, hard breaks as '\\n'."""
    out: list = []
    bold = italic = 0
    for t in inline.children or []:
        if t.type == "text":
            out.append((t.content, bold > 0, italic > 0, False))
        elif t.type == "code_inline":
            out.append((t.content, bold > 0, italic > 0, True))
        elif t.type == "softbreak":
            out.append(SOFT)
        elif t.type == "hardbreak":
            out.append(("\n", False, False, False))
        elif t.type == "strong_open":
            bold += 1
        elif t.type == "strong_close":
            bold -= 1
        elif t.type == "em_open":
            italic += 1
        elif t.type == "em_close":
            italic -= 1
        elif t.content:
            out.append((t.content, bold > 0, italic > 0, False))
    for i, seg in enumerate(out):
        if seg is SOFT:
            before = next((s[0][-1] for s in reversed(out[:i]) if s is not SOFT and s[0]), "")
            after = next((s[0][0] for s in out[i + 1 :] if s is not SOFT and s[0]), "")
            joiner = "" if CJK.match(before or " ") or CJK.match(after or " ") else " "
            out[i] = (joiner, False, False, False)
    return out


def _fill(paragraph, inline, font: str, size: float, bold: bool = False) -> None:
    for text, b, i, mono in _segments(inline):
        if not text:
            continue
        parts = text.split("\n")
        for k, part in enumerate(parts):
            run = add_run(paragraph, part, MONO_FONT if mono else font, size, bold or b, i,
                          latin=MONO_FONT if mono else "Times New Roman")  # fmt: skip
            if k < len(parts) - 1:
                run.add_break()


def _paragraph(doc, size: float, indent_chars: float = 0, first_line: bool = True):
    p = doc.add_paragraph()
    pf = p.paragraph_format
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if first_line:  # two characters: w:firstLineChars, and the same in points for readers without it
        pf.first_line_indent = Pt(size * 2)
        p._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if indent_chars:
        pf.left_indent = Pt(size * indent_chars)
    return p


def _table(doc, tokens, start: int, font: str, size: float) -> int:
    """Add a Markdown table as a bordered grid; return the index after ``table_close``."""
    rows: list[list] = []
    i = start
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "tr_open":
            rows.append([])
        elif t.type == "inline":
            rows[-1].append(t)
        i += 1
    width = max((len(r) for r in rows), default=0)
    if width:
        table = doc.add_table(rows=len(rows), cols=width)
        table.style = doc.styles["Table Grid"]
        for r, cells in enumerate(rows):
            for c, inline in enumerate(cells):
                p = table.cell(r, c).paragraphs[0]
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                p.paragraph_format.first_line_indent = None
                _fill(p, inline, font, size * 0.75, bold=r == 0)
    return i + 1


def add_markdown(doc, text: str, font: str, size: float) -> None:
    """Add narrative Markdown to a document as paragraphs in the body font and size."""
    if not text or not text.strip():
        return
    tokens = _parser().parse(text)
    lists: list[list] = []  # [ordered, next number]
    quote = 0
    prefix = ""
    bold_next = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type in ("bullet_list_open", "ordered_list_open"):
            lists.append([t.type == "ordered_list_open", int(t.attrGet("start") or 1)])
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t.type == "list_item_open":
            ordered, n = lists[-1]
            prefix = f"{n}. " if ordered else "• "
            lists[-1][1] = n + 1
        elif t.type == "blockquote_open":
            quote += 1
        elif t.type == "blockquote_close":
            quote -= 1
        elif t.type == "heading_open":
            bold_next = True
        elif t.type == "inline":
            nested = len(lists) + quote
            p = _paragraph(doc, size, indent_chars=2 * nested, first_line=not nested)
            if prefix:
                add_run(p, prefix, font, size)
                prefix = ""
            _fill(p, t, font, size, bold=bold_next)
            bold_next = False
        elif t.type in ("fence", "code_block"):
            p = _paragraph(doc, size, indent_chars=2, first_line=False)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            lines = t.content.rstrip("\n").split("\n")
            for k, line in enumerate(lines):
                run = add_run(p, line, MONO_FONT, size * 0.75, latin=MONO_FONT)
                if k < len(lines) - 1:
                    run.add_break()
        elif t.type == "table_open":
            i = _table(doc, tokens, i, font, size)
            continue
        i += 1
