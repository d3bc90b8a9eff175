"""Plain-text reader: Word exports (each cell a tab-indented line, rows separated by blank lines), pipe
tables, saved web pages with an archive header, and flattened text (tables rebuilt later by ``flat``)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from xxgk import limits
from xxgk.i18n import _
from xxgk.ingest.source import GCell, Grid, IngestError, SourceDoc, TextBlock, clean_text

_ENCODINGS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}
_HEADER_END = re.compile(r"^=+\s*正文\s*=+\s*$")
_HEADER_KEYS = {"标题": "title", "发布时间": "published", "发布日期": "published", "发布机构": "publisher"}


def decode(data: bytes, declared: str | None = None, path="") -> str:
    """Bytes to text: BOM, then a declared charset, then UTF-8, then GB18030 (a superset of GBK/GB2312)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    tried = []
    if declared:
        enc = _ENCODINGS.get(declared.strip().lower(), declared.strip().lower())
        try:
            codecs.lookup(enc)
            tried.append(enc)
        except LookupError:
            pass
    tried += ["utf-8", "gb18030"]
    for enc in tried:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise IngestError(path, _("cannot decode the text (not UTF-8 or GB18030)"))


def read_text(path: str | Path) -> SourceDoc:
    """Read a plain-text report into blocks and grids."""
    limits.check_size(path, "text")
    data = Path(path).read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise IngestError(path, _("binary data, not a text file"))
    return parse_text(decode(data, path=path), str(path))


def parse_text(text: str, path: str = "<text>") -> SourceDoc:
    """Parse report text into a SourceDoc."""
    doc = SourceDoc(path=path, kind="text")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _archive_header(lines, doc)
    i = start
    n = len(lines)
    while i < n:
        limits.tick(f"line {i + 1}")
        line = lines[i]
        if line.startswith("\t"):
            grid, i = _tab_table(lines, i)
            doc.blocks.append(grid)
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            grid, i = _pipe_table(lines, i)
            doc.blocks.append(grid)
            continue
        s = clean_text(line).strip()
        if s:
            doc.blocks.append(TextBlock(s, f"line {i + 1}"))
        i += 1
    return doc


def _archive_header(lines: list[str], doc: SourceDoc) -> int:
    """A saved page's 「标题: … / 发布时间: … / ==== 正文 ====」 header; returns the first body line."""
    for k in range(min(len(lines), 20)):
        if _HEADER_END.match(lines[k]):
            for line in lines[:k]:
                key, sep, value = line.partition(":")
                if not sep:
                    key, sep, value = line.partition("：")
                attr = _HEADER_KEYS.get(key.strip())
                if attr and value.strip():
                    setattr(doc, attr, value.strip())
            return k + 1
    return 0


def _tab_table(lines: list[str], i: int) -> tuple[Grid, int]:
    """Rows of tab-indented cell lines; a line without a tab right after a cell continues that cell."""
    rows: list[list[GCell]] = []
    row: list[GCell] = []
    first = i
    blank_run = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            blank_run = 0
            row.append(GCell(clean_text(line[1:]), f"line {i + 1}"))
        elif not line.strip():
            if row:
                rows.append(row)
                row = []
            blank_run += 1
            if blank_run >= 2 and not (i + 1 < len(lines) and lines[i + 1].startswith("\t")):
                i += 1
                break
        elif row and blank_run == 0 and _continues(line):
            row[-1].text += "\n" + clean_text(line)
        else:
            break
        i += 1
    if row:
        rows.append(row)
    return Grid(rows, f"lines {first + 1}-{i}", exact=False), i


def _continues(line: str) -> bool:
    s = line.strip()
    return len(s) <= 60 and not re.match(r"^[一二三四五六七八九十]{1,2}、", s)


def _pipe_table(lines: list[str], i: int) -> tuple[Grid, int]:
    rows: list[list[GCell]] = []
    first = i
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        parts = lines[i].strip().strip("|").split("|")
        if not all(re.fullmatch(r"\s*:?-{2,}:?\s*", p) for p in parts):
            rows.append([GCell(clean_text(p).strip(), f"line {i + 1}") for p in parts])
        i += 1
    return Grid(rows, f"lines {first + 1}-{i}", exact=False), i
