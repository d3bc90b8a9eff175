"""The published report as HTML parts, in print order: title, preamble, numbered parts, signature.

Each function returns one self-contained HTML fragment; the notebook displays them one by one and the
nbconvert template wraps them in the page. Headings are numbered by ``outline`` (extensions included).
"""

from __future__ import annotations

import datetime as dt
import html
import re

from xxgk.model import Report
from xxgk.render.markdown import markdown_html
from xxgk.render.outline import OutlineItem, outline
from xxgk.render.tables import extension_table_html, official_table_html


def chinese_date(date: dt.date | None) -> str:
    """A date as printed in a 落款: 「2021年1月20日」 ('' when unknown)."""
    return f"{date.year}年{date.month}月{date.day}日" if date else ""


def header_text(report: Report) -> str:
    """The running header of printed pages: agency and year."""
    return f"{report.agency.name}　{report.year}年政府信息公开工作年度报告"


def report_meta(report: Report) -> dict:
    """Metadata the HTML template and the PDF printer read from the title output."""
    return {"title": report.title, "header": header_text(report), "agency": report.agency.id, "year": report.year}


def title_lines(report: Report) -> tuple[str, str]:
    """The title split where it may break: 「{机关}{年份}年」 and 「政府信息公开工作年度报告」 (rest '' if no such point)."""
    title = report.title
    head = f"{report.agency.name}{report.year}年"
    if title.startswith(head) and len(title) > len(head):
        return head, title[len(head) :]
    if title.startswith(report.agency.name) and len(title) > len(report.agency.name):
        return report.agency.name, title[len(report.agency.name) :]
    return title, ""


def title_html(report: Report) -> str:
    """The report title as unbreakable parts with a break opportunity between them: a title too long for one line
    breaks as 「余姚市商务局2020年 / 政府信息公开工作年度报告」, never inside a part."""
    head, rest = title_lines(report)
    parts = [f'<span class="title-head">{html.escape(head)}</span>']
    if rest:
        parts.append(f'<wbr><span class="title-rest">{html.escape(rest)}</span>')
    return f'<h1 class="report-title">{"".join(parts)}</h1>'


#: a first paragraph up to this many characters is kept on one page with its heading
KEEP_FIRST_CHARS = 240
_FIRST_P = re.compile(r"\A(<p>.*?</p>)\s*(.*)\Z", re.S)


def preamble_html(report: Report) -> str:
    """The unnumbered opening paragraphs ('' when the report has none)."""
    body = markdown_html(report.preamble)
    return f'<div class="preamble">{body}</div>' if body else ""


def part_html(report: Report, item: OutlineItem) -> str:
    """One numbered part: heading, narrative, and its official or extension table."""
    sid = item.section_id or (item.extension.id if item.extension else "")
    level = "h2" if item.numeral else "h3"
    heading = f"<{level}>{html.escape(item.heading)}</{level}>"
    out = [f'<section class="part" data-part="{html.escape(sid, quote=True)}">']
    body = markdown_html(report.section_text(item.section_id)) if item.section_id else ""
    first = _FIRST_P.match(body)
    if first and len(first.group(1)) <= KEEP_FIRST_CHARS:  # the heading never ends a page without its text
        heading = f'<div class="keep-next">{heading}<div class="narrative">{first.group(1)}</div></div>'
        body = first.group(2)
    out.append(heading)
    if body:
        out.append(f'<div class="narrative">{body}</div>')
    if item.table_id:
        out.append(official_table_html(report, item.table_id))
    if item.extension is not None:
        out.append(extension_table_html(item.extension))
    out.append("</section>")
    return "\n".join(out)


def section_parts(report: Report, section_id: str) -> list[str]:
    """The part of a template section followed by the extension parts placed after it."""
    items = outline(report)
    start = next(i for i, it in enumerate(items) if it.section_id == section_id)
    parts = [part_html(report, items[start])]
    for it in items[start + 1 :]:
        if it.section_id is not None:
            break
        parts.append(part_html(report, it))
    return parts


def signature_html(report: Report) -> str:
    """The 落款, right-aligned: issuing agency and 「2021年1月20日」 ('' when the report has none)."""
    sig = report.signature
    if sig is None:
        return ""
    lines = [f'<p class="sig-agency">{html.escape(sig.agency or report.agency.name)}</p>']
    if sig.date:
        lines.append(f'<p class="sig-date">{chinese_date(sig.date)}</p>')
    return '<div class="signature">' + "".join(lines) + "</div>"


def report_html(report: Report) -> str:
    """The whole published report as one fragment (title to signature), for previews and non-notebook use."""
    parts = [title_html(report), preamble_html(report)]
    for section in report.fmt.sections:
        parts.extend(section_parts(report, section.id))
    parts.append(signature_html(report))
    return "\n".join(p for p in parts if p)
