"""Params files (``params/<year>/<agency-id>.yaml``): load with file:line problems, write back compactly.

Tables are written one row per line in official order, with the official labels as comments, so a
person can fill them while looking at the printed table. Every problem names the file, the line, the
cell's official label and what was expected; unknown keys get a did-you-mean.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from xxgk.errors import UserError
from xxgk.formats import Format, FormatError, format_for_year, get_format
from xxgk.i18n import _
from xxgk.model import (
    AGENCY_LEVELS,
    SECTION_IDS,
    Agency,
    Cell,
    Extension,
    ExtensionRow,
    Provenance,
    Report,
    Signature,
    ValueTextError,
    cell_from_text,
)
from xxgk.params_reader import ParamsError, Problem, Reader, compose, did_you_mean, kind
from xxgk.params_review import read_members, read_reviews
from xxgk.validate import (
    MAX_COLUMNS,
    MAX_EXTENSIONS,
    MAX_INDENT,
    MAX_NAME,
    MAX_PARAMS_BYTES,
    MAX_ROWS,
    MAX_SHORT,
    MAX_TEXT,
    SLUG,
    slug_problem,
    value_problem,
    year_problem,
)
from xxgk.values import expected_text

__all__ = ["ParamsError", "Problem", "discover", "load_params", "loads_params", "params_path"]

TABLE_KEYS = {"table2": "t2", "table3": "t3", "table4": "t4"}
TOP_KEYS = (
    "agency", "year", "format", "published", "contact", "signature", "preamble", "sections",
    "table2", "table3", "table4", "extensions", "provenance", "members", "review",
)  # fmt: skip
AGENCY_KEYS = ("id", "name", "level", "parent")
AGENCY_ID = SLUG
_NONE = (None, None)


def load_params(path: str | Path, agencies: dict[str, Agency] | None = None) -> Report:
    """Load a params YAML file into a Report; raise ParamsError listing every problem.

    ``agencies`` (id → Agency, e.g. from the office roster) supplies what the file omits: name, level, parent.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_PARAMS_BYTES:
            raise ParamsError([Problem(str(path), None, _("the file is {size:,} bytes; a params file may have at most {max_params_bytes:,}").format(size=size, max_params_bytes=MAX_PARAMS_BYTES))])  # fmt: skip
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParamsError([Problem(str(path), None, _("not UTF-8 text ({reason} at byte {start})").format(reason=exc.reason, start=exc.start))]) from exc
    except OSError as exc:
        raise ParamsError([Problem(str(path), None, _("cannot read: {strerror}").format(strerror=exc.strerror))]) from exc
    return loads_params(text, str(path), agencies)


def loads_params(text: str, file: str = "<params>", agencies: dict[str, Agency] | None = None) -> Report:
    """Load params YAML text into a Report; raise ParamsError listing every problem."""
    loader, root = compose(text, file)
    r = Reader(file, loader)
    if root is None:
        raise ParamsError([Problem(file, None, _("the file is empty"))])
    top = r.mapping(root, "top level", TOP_KEYS)
    if r.problems and not top:
        raise ParamsError(r.problems)
    report = _read(r, top, root, agencies)
    if r.problems:
        raise ParamsError(r.problems)
    report.source = file
    return report


def _read(r: Reader, top: dict, root, agencies=None) -> Report:
    agency = _read_agency(r, top.get("agency", _NONE)[1], root, agencies)
    year_node = top.get("year", _NONE)[1]
    year = None
    if year_node is None:
        r.problem(root, _("year: missing (the report year, e.g. 2020)"))
    else:
        v = r.value(year_node) if isinstance(year_node, yaml.ScalarNode) else None
        if isinstance(v, bool) or not isinstance(v, int):
            r.problem(year_node, _("year: expected a report year like 2020, got {kind}").format(kind=kind(year_node)))
        elif year_problem(v):
            r.problem(year_node, _("year: {year_problem}").format(year_problem=year_problem(v)))
        else:
            year = v
    fmt: Format | None = None
    fnode = top.get("format", _NONE)[1]
    try:
        if fnode is not None:
            fid = r.text(fnode, "format")
            fmt = get_format(fid) if fid is not None else None
        elif year is not None:
            fmt = format_for_year(year)
    except FormatError as exc:
        r.problem(fnode or year_node, _("format: {exc}").format(exc=exc))
    report = Report(agency=agency, year=year or 0, format_id=fmt.id if fmt else "2021")
    report.published = r.date(top.get("published", _NONE)[1], "published")
    report.contact = r.text(top.get("contact", _NONE)[1], "contact", max_len=MAX_SHORT)
    report.preamble = r.text(top.get("preamble", _NONE)[1], "preamble", max_len=MAX_TEXT) or ""
    _read_sections(r, top.get("sections", _NONE)[1], report)
    _read_signature(r, top.get("signature", _NONE)[1], report)
    if fmt is not None:
        for key, table_id in TABLE_KEYS.items():
            if key in top:
                _read_table(r, fmt, table_id, key, top[key][1], report)
        report.complete_cells()
    if "extensions" in top:
        _read_extensions(r, top["extensions"][1], report)
    if "provenance" in top:
        _read_provenance(r, top["provenance"][1], report, fmt)
    if "members" in top:
        read_members(r, top["members"][1], report)
    if "review" in top:
        read_reviews(r, top["review"][1], report, fmt)
    return report


def _read_agency(r: Reader, node, root, agencies=None) -> Agency:
    if node is None:
        r.problem(root, _("agency: missing (id, name, level)"))
        return Agency("unknown", "")
    m = r.mapping(node, "agency", AGENCY_KEYS)
    aid = r.text(m.get("id", _NONE)[1], "agency.id", required=True, parent=node) or "unknown"
    if aid != "unknown" and slug_problem(aid):
        r.problem(m["id"][1], _("agency.id: {slug_problem}").format(slug_problem=slug_problem(aid)))
    known = (agencies or {}).get(aid)
    if agencies is not None and known is None and aid != "unknown":
        r.problem(m["id"][1], _("agency.id: {aid!r} is not in the roster (params/agencies.yaml)").format(aid=aid))
    if known is not None:  # the roster holds name, level and parent; the file may omit them
        name = r.text(m.get("name", _NONE)[1], "agency.name 机关名称", max_len=MAX_NAME) or known.name
        level = r.text(m.get("level", _NONE)[1], "agency.level") or known.level
        parent = r.text(m.get("parent", _NONE)[1], "agency.parent", max_len=MAX_NAME) or known.parent
        if level not in AGENCY_LEVELS:
            r.problem(m["level"][1], _("agency.level: unknown level {level!r}{did_you_mean}").format(level=level, did_you_mean=did_you_mean(level, AGENCY_LEVELS)))
        return Agency(aid, name, level, parent)
    name = r.text(m.get("name", _NONE)[1], "agency.name 机关名称", required=True, max_len=MAX_NAME, parent=node) or ""
    level = r.text(m.get("level", _NONE)[1], "agency.level") or AGENCY_LEVELS[0]
    if level not in AGENCY_LEVELS:
        r.problem(m["level"][1], _("agency.level: unknown level {level!r}{did_you_mean}").format(level=level, did_you_mean=did_you_mean(level, AGENCY_LEVELS)))
    parent = r.text(m.get("parent", _NONE)[1], "agency.parent", max_len=MAX_NAME)
    return Agency(aid, name, level, parent)


def _read_sections(r: Reader, node, report: Report) -> None:
    if node is None:
        return
    m = r.mapping(node, "sections", SECTION_IDS)
    for sid, (_key, vnode) in m.items():
        if isinstance(vnode, yaml.MappingNode):
            sm = r.mapping(vnode, f"sections.{sid}", ("title", "text"))
            title = r.text(sm.get("title", _NONE)[1], f"sections.{sid}.title")
            if title:
                report.section_titles[sid] = title
            report.sections[sid] = r.text(sm.get("text", _NONE)[1], f"sections.{sid}.text", max_len=MAX_TEXT) or ""
        else:
            report.sections[sid] = r.text(vnode, f"sections.{sid}", max_len=MAX_TEXT) or ""


def _read_signature(r: Reader, node, report: Report) -> None:
    if node is None:
        return
    m = r.mapping(node, "signature", ("agency", "date"))
    agency = r.text(m.get("agency", _NONE)[1], "signature.agency 落款机关", max_len=MAX_NAME) or report.agency.name
    report.signature = Signature(agency, r.date(m.get("date", _NONE)[1], "signature.date 落款日期"))


def _read_table(r: Reader, fmt: Format, table_id: str, key: str, node, report: Report) -> None:
    table = fmt.table(table_id)
    rows = {row.id: row for row in table.rows}
    m = r.mapping(node, f"{key} (format {fmt.id})", list(rows))
    for row_id, (_knode, vnode) in m.items():
        specs = fmt.row_cells(table_id, row_id)
        label = f"{key}.{row_id} 「{fmt.row_label(table_id, row_id)}」"
        cols = "、".join(s.column.label for s in specs)
        if not isinstance(vnode, yaml.SequenceNode):
            r.problem(vnode, _("{label}: expected a list of {n} values ({cols}), got {kind}").format(label=label, n=len(specs), cols=cols, kind=kind(vnode)))
            continue
        if len(vnode.value) != len(specs):
            r.problem(vnode, _("{label}: expected {n} values ({cols}), got {n2}").format(label=label, n=len(specs), cols=cols, n2=len(vnode.value)))
            continue
        for spec, item in zip(specs, vnode.value):
            cell = _read_cell(r, spec, item)
            if cell is not None:
                report.cells[spec.id] = cell


def _read_cell(r: Reader, spec, node) -> Cell | None:
    note = None
    where = f"{spec.label} ({spec.id})"
    if isinstance(node, yaml.MappingNode):
        m = r.mapping(node, where, ("value", "note"))
        note = r.text(m.get("note", _NONE)[1], f"{where} note")
        node = m.get("value", _NONE)[1]
        if node is None:
            return Cell.blank() if note is None else Cell(None, "blank", None, note)
    if not isinstance(node, yaml.ScalarNode):
        r.problem(node, _("{where}: expected {expected_text}, got {kind}").format(where=where, expected_text=expected_text(spec.column), kind=kind(node)))
        return None
    if node.tag.endswith(":null") and not node.style:
        cell = Cell.blank()
    else:
        text = r.text(node, where)
        if text is None:
            return None
        try:
            cell = cell_from_text(text, spec.column)
        except ValueTextError:
            r.problem(node, _("{where}: expected {expected_text}, got {kind}").format(where=where, expected_text=expected_text(spec.column), kind=kind(node)))
            return None
        problem = value_problem(cell.value, spec.column.type) if cell.is_value else None
        if problem:
            r.problem(node, f"{where}: {problem}")
            return None
    if note:
        cell.note = note
    return cell


def _read_extensions(r: Reader, node, report: Report) -> None:
    if not isinstance(node, yaml.SequenceNode):
        r.problem(node, _("extensions: expected a list of tables, got {kind}").format(kind=kind(node)))
        return
    if len(node.value) > MAX_EXTENSIONS:
        r.problem(node, _("extensions: {n} tables; at most {max_extensions} allowed").format(n=len(node.value), max_extensions=MAX_EXTENSIONS))
        return
    for i, tnode in enumerate(node.value):
        where = f"extensions[{i}]"
        m = r.mapping(tnode, where, ("id", "title", "after", "columns", "rows", "numbered"))
        if not m:
            continue
        after = r.text(m.get("after", _NONE)[1], f"{where}.after") or "s6"
        if after not in SECTION_IDS:
            r.problem(m["after"][1], _("{where}.after: expected a section id{did_you_mean}").format(where=where, did_you_mean=did_you_mean(after, SECTION_IDS)))
        ext_id = r.text(m.get("id", _NONE)[1], f"{where}.id") or f"ext{i + 1}"
        if slug_problem(ext_id):
            r.problem(m["id"][1], _("{where}.id: {slug_problem}").format(where=where, slug_problem=slug_problem(ext_id)))
        columns = _ext_columns(r, m.get("columns", _NONE)[1] or tnode, where)
        rows: list[ExtensionRow] = []
        rows_node = m.get("rows", _NONE)[1]
        if rows_node is not None and not isinstance(rows_node, yaml.SequenceNode):
            r.problem(rows_node, _("{where}.rows: expected a list of rows, got {kind}").format(where=where, kind=kind(rows_node)))
        elif rows_node is not None and len(rows_node.value) > MAX_ROWS:
            r.problem(rows_node, _("{where}.rows: {n} rows; at most {max_rows} allowed").format(where=where, n=len(rows_node.value), max_rows=MAX_ROWS))
        else:
            for j, rnode in enumerate(rows_node.value if rows_node is not None else []):
                row = _ext_row(r, rnode, f"{where}.rows[{j}]", columns)
                if row is not None:
                    rows.append(row)
        report.extensions.append(
            Extension(
                id=ext_id,
                title=r.text(m.get("title", _NONE)[1], f"{where}.title", required=True, parent=tnode) or "",
                after=after,
                columns=columns,
                rows=rows,
                numbered=r.boolean(m.get("numbered", _NONE)[1], f"{where}.numbered", True),
            )
        )


def _ext_columns(r: Reader, node, where: str) -> list[str]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        r.problem(node, _("{where}.columns: expected the list of column headers").format(where=where))
        return []
    if len(node.value) > MAX_COLUMNS:
        r.problem(node, _("{where}.columns: {n} columns; at most {max_columns} allowed").format(where=where, n=len(node.value), max_columns=MAX_COLUMNS))
        return []
    columns = [r.text(c, f"{where}.columns[{k}]", required=True) for k, c in enumerate(node.value)]
    return [c for c in columns if c is not None] if all(c is not None for c in columns) else []


def _ext_row(r: Reader, node, where: str, columns: list[str]) -> ExtensionRow | None:
    rm = r.mapping(node, where, ("label", "indent", "values"))
    label = r.text(rm.get("label", _NONE)[1], f"{where}.label", required=True, parent=node) or ""
    indent = r.integer(rm.get("indent", _NONE)[1], f"{where}.indent", 0, MAX_INDENT, 0)
    vnode = rm.get("values", _NONE)[1]
    want = f"{len(columns) - 1} values ({'、'.join(columns[1:])})"
    if vnode is not None and not isinstance(vnode, yaml.SequenceNode):
        r.problem(vnode, _("{where} 「{label}」: expected a list of {want}, got {kind}").format(where=where, label=label, want=want, kind=kind(vnode)))
        return None
    items = vnode.value if vnode is not None else []
    if columns and len(items) != len(columns) - 1:
        r.problem(vnode or node, _("{where} 「{label}」: expected {want}, got {n}").format(where=where, label=label, want=want, n=len(items)))
        return None
    values = [_ext_value(r, item, f"{where}.values[{k}]") for k, item in enumerate(items)]
    return ExtensionRow(label, values, indent)


def _ext_value(r: Reader, node, where: str):
    """An extension cell as written: null, a whole number, or the text (never a YAML object's repr)."""
    if not isinstance(node, yaml.ScalarNode):
        r.problem(node, _("{where}: expected a number, a text or null, got {kind}").format(where=where, kind=kind(node)))
        return None
    if node.tag.endswith(":null") and not node.style:
        return None
    if node.tag.endswith(":int") and not node.style:
        v = r.value(node)
        if isinstance(v, int) and not isinstance(v, bool) and not value_problem(v, "signed"):
            return v
        r.problem(node, _("{where}: expected a whole number of at most 10 digits, got {kind}").format(where=where, kind=kind(node)))
        return None
    return r.text(node, where)


def _read_provenance(r: Reader, node, report: Report, fmt: Format | None) -> None:
    m = r.mapping(node, "provenance", None)
    for cid, (knode, vnode) in m.items():
        if fmt is not None and not fmt.has_cell(cid):
            r.problem(knode, _("provenance: unknown cell id {cid!r}{did_you_mean}").format(cid=cid[:80], did_you_mean=did_you_mean(cid, fmt.cell_ids())))
            continue
        where = f"provenance.{cid}"
        pm = r.mapping(vnode, where, ("source", "confidence", "uncertain", "reason"))
        report.provenance[cid] = Provenance(
            source=r.text(pm.get("source", _NONE)[1], f"{where}.source", max_len=MAX_SHORT) or "",
            confidence=r.fraction(pm.get("confidence", _NONE)[1], f"{where}.confidence", 1.0),
            uncertain=r.boolean(pm.get("uncertain", _NONE)[1], f"{where}.uncertain", False),
            reason=r.text(pm.get("reason", _NONE)[1], f"{where}.reason", max_len=MAX_SHORT),
        )


# ------------------------------------------------------------------ locating files


def params_path(params_dir: str | Path, year: int, agency_id: str) -> Path:
    """Where the params file of an agency and year lives (UserError unless the id is a slug, never a path)."""
    problem = slug_problem(str(agency_id))
    if problem or isinstance(year, bool) or not isinstance(year, int):
        raise UserError(f"agency id: {problem}" if problem else f"year: expected a whole number, got {year!r}")
    return Path(params_dir) / str(year) / f"{agency_id}.yaml"


def discover(params_dir: str | Path) -> list[tuple[int, str, Path]]:
    """Every ``<year>/<agency>.yaml`` below a params directory, sorted by year then agency.

    A file whose name is not an agency slug (``余姚 商务.yaml``) or a year folder out of range is refused,
    since the name becomes an output folder.
    """
    out, problems = [], []
    root = Path(params_dir)
    if not root.is_dir():
        return out
    for ydir in root.iterdir():
        if ydir.is_dir() and ydir.name.isascii() and ydir.name.isdigit():
            year_bad = year_problem(int(ydir.name)) if len(ydir.name) < 12 else year_problem(10**12)
            for f in ydir.glob("*.yaml"):
                bad = year_bad and f"the folder name: {year_bad}" or slug_problem(f.stem)
                if bad:
                    problems.append(Problem(str(f), None, f"file name (agency id 机关标识): {bad}"))
                else:
                    out.append((int(ydir.name), f.stem, f))
    if problems:
        raise ParamsError(sorted(problems, key=lambda p: p.file))
    return sorted(out)
