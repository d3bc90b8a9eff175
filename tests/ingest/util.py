"""Helpers for the ingest tests: table values by row, and writers of the official layout (DOCX, HTML)."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from xxgk.formats import get_format
from xxgk.formats.layout import VALUE, table_grid
from xxgk.model import Agency, Cell, Report, Signature, cell_from_text


def one_line(text: str) -> str:
    """The same text as a portal page saved as one line: every line break and space of the body removed
    (an archive header, when present, is kept as it is)."""
    head, sep, body = text.partition("==================== 正文 ====================")
    if not sep:
        head, body = "", text
    return (head + sep + "\n" if sep else "") + re.sub(r"\s+", "", body)


def rows(report: Report, table_id: str) -> dict[str, list]:
    """Row id → the row's values (None for blank), in column order."""
    fmt = report.fmt
    out: dict[str, list] = {}
    for cid in fmt.cell_ids(table_id):
        row = cid.split(".")[1]
        c = report.cell(cid)
        out.setdefault(row, []).append(c.value if c.is_value else None)
    return out


def t3(report: Report) -> list[list]:
    """表三 as a list of rows in official order."""
    return list(rows(report, "t3").values())


def synthetic(format_id: str) -> Report:
    """A report with varied cells: numbers, blanks, 「/」, notes, decimals, signed changes."""
    fmt = get_format(format_id)
    year = 2020 if format_id == "2019" else 2023
    r = Report(Agency("test-agency", "示例县测试局"), year, format_id, published=dt.date(year + 1, 1, 20))
    r.preamble = "本报告根据《中华人民共和国政府信息公开条例》编制。"
    for s in fmt.sections:
        r.sections[s.id] = f"{s.title}的文字描述。\n\n第二段。"
    r.signature = Signature("示例县测试局", dt.date(year + 1, 1, 20))
    specials = ["", "/", "22（其中修订16件）"]
    for i, spec in enumerate(fmt.cells):
        col = spec.column
        if col.type == "money":
            text = "24252.311082" if format_id == "2021" else "75394432.52元"
        elif col.type == "signed":
            text = ["+2", "-18", "0"][i % 3]
        elif i % 11 == 5:
            text = specials[(i // 11) % len(specials)]
        else:
            text = str((i * 37) % 101)
        r.cells[spec.id] = cell_from_text(text, col)
    return r


def cell_text(report: Report, cell_id: str) -> str:
    """What a published table prints for a cell."""
    c: Cell = report.cell(cell_id)
    return c.text()


def official_docx(report: Report, path) -> None:
    """Write a report as a Word document whose tables follow the official merged-cell layout."""
    import docx

    fmt = report.fmt
    d = docx.Document()
    d.add_paragraph(report.title)
    for para in report.preamble.split("\n\n"):
        d.add_paragraph(para)
    for s in fmt.sections:
        d.add_paragraph(s.heading)
        for para in report.section_text(s.id).split("\n\n"):
            d.add_paragraph(para)
        if s.table:
            g = table_grid(fmt, s.table)
            t = d.add_table(rows=g.n_rows, cols=g.n_cols)
            for gc in g.cells:
                cell = t.cell(gc.row, gc.col)
                if gc.rowspan > 1 or gc.colspan > 1:
                    cell = cell.merge(t.cell(gc.row + gc.rowspan - 1, gc.col + gc.colspan - 1))
                cell.text = cell_text(report, gc.cell_id) if gc.kind == VALUE else gc.text
    d.add_paragraph(report.signature.agency)
    d.add_paragraph(f"{report.signature.date.year}年{report.signature.date.month}月{report.signature.date.day}日")
    d.save(str(path))


def official_html(report: Report, encoding: str = "utf-8") -> bytes:
    """A report as an HTML page whose tables use rowspan/colspan like the official template."""
    fmt = report.fmt
    e = html.escape
    out = [f'<html><head><meta charset="{encoding}"><title>{e(report.title)}</title></head><body>',
           '<div class="nav">首页 &gt; 政府信息公开 &gt; 年度报告</div>', f"<h1>{e(report.title)}</h1>"]  # fmt: skip
    out += [f"<p>{e(p)}</p>" for p in report.preamble.split("\n\n")]
    for s in fmt.sections:
        out.append(f"<p><strong>{e(s.heading)}</strong></p>")
        out += [f"<p>{e(p)}</p>" for p in report.section_text(s.id).split("\n\n")]
        if s.table:
            g = table_grid(fmt, s.table)
            out.append('<table border="1">')
            for row in g.rows():
                tds = []
                for gc in row:
                    text = cell_text(report, gc.cell_id) if gc.kind == VALUE else gc.text
                    span = (f' rowspan="{gc.rowspan}"' if gc.rowspan > 1 else "") + (
                        f' colspan="{gc.colspan}"' if gc.colspan > 1 else ""
                    )
                    tds.append(f"<td{span}>{e(text)}</td>")
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</table>")
    sig = report.signature
    out.append(f'<p style="text-align:right">{e(sig.agency)}</p>')
    out.append(f'<p style="text-align:right">{sig.date.year}年{sig.date.month}月{sig.date.day}日</p>')
    out.append('<div class="footer">版权所有：示例县人民政府 网站标识码：0000000000</div></body></html>')
    return "\n".join(out).encode(encoding)


D = Decimal


def pdf_bytes(objs: list[bytes], trailer: str = "") -> bytes:
    """A PDF file of numbered objects (object 1 the catalog) with a correct xref table; ``trailer`` adds keys."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
