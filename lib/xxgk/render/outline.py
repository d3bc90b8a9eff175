"""The report's outline: numbered sections in print order, with local extension tables slotted in.

Shared by every renderer (HTML, Word) so they number headings the same way. An extension marked
``numbered`` and placed after section sX becomes a numbered section of its own, and the sections after it
are renumbered — as the seed report does (三、公开平台建设和信息发布情况 between 二 and the 表三 section).
"""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.model import Extension, Report

NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class OutlineItem:
    """One numbered part of the report: a template section (``section_id``) or an extension table."""

    numeral: str
    title: str
    section_id: str | None = None
    table_id: str | None = None
    extension: Extension | None = None

    @property
    def heading(self) -> str:
        """The printed heading, e.g. 「三、收到和处理政府信息公开申请情况」."""
        return f"{self.numeral}、{self.title}" if self.numeral else self.title


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def outline(report: Report) -> list[OutlineItem]:
    """Sections and extension tables in print order with their numerals."""
    items: list[tuple[str, str | None, str | None, Extension | None]] = []
    fmt = report.fmt
    for section in fmt.sections:
        title = report.section_titles.get(section.id) or section.title
        items.append((title, section.id, section.table, None))
        for ext in report.extensions:
            if ext.after == section.id:
                items.append((ext.title, None, None, ext))
    out: list[OutlineItem] = []
    n = 0
    for title, sid, table, ext in items:
        if ext is not None and not ext.numbered:
            out.append(OutlineItem("", title, None, None, ext))
            continue
        n += 1
        out.append(OutlineItem(_numeral(n), title, sid, table, ext))
    return out
