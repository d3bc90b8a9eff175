"""HTML tables: the three official tables placed from ``table_grid`` (merged cells as in the template),
and the local extension tables. Every text is escaped; blank cells print blank."""

from __future__ import annotations

import html

from xxgk.formats.layout import LABEL, NOTE, TITLE, VALUE, GridCell, table_grid
from xxgk.model import Extension, Report
from xxgk.render.markdown import text_html

MAX_INDENT = 4


def _attrs(pairs: list[tuple[str, object]]) -> str:
    return "".join(f' {k}="{html.escape(str(v), quote=True)}"' for k, v in pairs if v not in (None, "", 1))


def _cell_html(cell: GridCell, report: Report) -> str:
    spans = [("rowspan", cell.rowspan), ("colspan", cell.colspan)]
    if cell.kind == VALUE:
        text = report.cell(cell.cell_id).text()
        return f"<td{_attrs([('class', 'v'), ('data-cell', cell.cell_id), *spans])}>{html.escape(text)}</td>"
    cls = {TITLE: "block-title", NOTE: "note", LABEL: "label"}.get(cell.kind, "head")
    scope = "row" if cell.kind == LABEL else None
    return f"<th{_attrs([('class', cls), ('scope', scope), *spans])}>{text_html(cell.text)}</th>"


def _colgroup(grid) -> str:
    """One ``<col>`` per grid column: label columns ``l0``, ``l1``… and value columns ``v`` (widths in the CSS)."""
    label_cols = {c.col for c in grid.cells if c.kind == LABEL}
    cols = "".join(f'<col class="{f"l{i}" if i in label_cols else "v"}">' for i in range(grid.n_cols))
    return f"<colgroup>{cols}</colgroup>"


def official_table_html(report: Report, table_id: str) -> str:
    """The table t2/t3/t4 of a report in its exact official layout, header rows in ``<thead>``.

    Rows after the header are grouped in one ``<tbody>`` per block (表二's blocks start with a title row),
    so that a block is not split across pages.
    """
    grid = table_grid(report.fmt, table_id)
    rows = grid.rows()
    out = [f'<table class="official {table_id}" data-table="{table_id}" data-format="{report.format_id}">',
           _colgroup(grid)]  # fmt: skip
    if grid.header_rows:
        out.append("<thead>")
        out.extend("<tr>" + "".join(_cell_html(c, report) for c in row) + "</tr>" for row in rows[: grid.header_rows])
        out.append("</thead>")
    body = rows[grid.header_rows :]
    for i, row in enumerate(body):
        starts_block = bool(row) and row[0].kind == TITLE
        if i == 0 or starts_block:
            out.append(("</tbody>" if i else "") + ('<tbody class="block">' if starts_block else "<tbody>"))
        cls = ' class="block-title"' if starts_block else ""
        out.append(f"<tr{cls}>" + "".join(_cell_html(c, report) for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _ext_value(value) -> str:
    return "" if value is None else html.escape(str(value))


def extension_table_html(ext: Extension) -> str:
    """A local extension table: header row, labels indented by level, line breaks kept, blanks blank."""
    out = [f'<table class="extension" data-extension="{html.escape(ext.id, quote=True)}">', "<thead><tr>"]
    out.extend(f"<th>{text_html(c)}</th>" for c in ext.columns)
    out.append("</tr></thead><tbody>")
    for row in ext.rows:
        indent = max(0, min(int(row.indent or 0), MAX_INDENT))
        cells = [f'<th scope="row" class="label indent-{indent}">{text_html(row.label)}</th>']
        cells.extend(f'<td class="v">{_ext_value(v)}</td>' for v in row.values)
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)
