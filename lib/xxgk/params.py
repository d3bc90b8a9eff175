"""Params files (``params/<year>/<agency-id>.yaml``): load with file:line problems, write back compactly.

Tables are written one row per line in official order, with the official labels as comments, so a
person can fill them while looking at the printed table. Every problem names the file, the line, the
cell's official label and what was expected; unknown keys get a did-you-mean.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from xxgk.errors import UserError
from xxgk.formats import Format, FormatError, format_for_year, get_format
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
from xxgk.params_review import read_members, read_reviews
from xxgk.values import expected_text

TABLE_KEYS = {"table2": "t2", "table3": "t3", "table4": "t4"}
TOP_KEYS = (
    "agency", "year", "format", "published", "contact", "signature", "preamble", "sections",
    "table2", "table3", "table4", "extensions", "provenance", "members", "review",
)  # fmt: skip
AGENCY_KEYS = ("id", "name", "level", "parent")
INVALID = object()
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster, same marks
AGENCY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Problem:
    """One problem in an input file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class ParamsError(UserError, ValueError):
    """A params file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Reader:
    """Walks a composed YAML node tree, collecting problems with line numbers."""

    def __init__(self, file: str, loader) -> None:
        self.file = file
        self.loader = loader
        self.problems: list[Problem] = []

    def problem(self, node, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.file, line, message))

    def value(self, node):
        """The Python value of a node; an unconstructible scalar (e.g. 2021-13-45) gives ``INVALID``."""
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, yaml.YAMLError):
            return INVALID

    def mapping(self, node, where: str, allowed) -> dict:
        """Key → (key node, value node); unknown keys are reported with a did-you-mean."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where}: expected a mapping of keys, got {_kind(node)}")
            return {}
        out = {}
        for knode, vnode in node.value:
            key = str(knode.value)
            if allowed is not None and key not in allowed:
                self.problem(knode, f"{where}: unknown key {key!r}{_did_you_mean(key, allowed)}")
                continue
            if key in out:
                self.problem(knode, f"{where}: key {key!r} given twice")
            out[key] = (knode, vnode)
        return out

    def text(self, node, where: str, required: bool = False) -> str | None:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            if required:
                self.problem(node, f"{where}: a text is required")
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{where}: expected a text, got {_kind(node)}")
            return None
        return str(node.value)

    def date(self, node, where: str) -> dt.date | None:
        if node is None or node.tag.endswith(":null"):
            return None
        v = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(v, dt.date):
            return v
        m = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", str(v or "").strip())
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        self.problem(node, f"{where}: expected a date like 2021-01-20 (or 2021年1月20日), got {_show(node)}")
        return None


def _kind(node) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(str(node.value))


def _show(node) -> str:
    return _kind(node)


def _did_you_mean(key: str, allowed) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"


def load_params(path: str | Path, agencies: dict[str, Agency] | None = None) -> Report:
    """Load a params YAML file into a Report; raise ParamsError listing every problem.

    ``agencies`` (id → Agency, e.g. from the office roster) supplies what the file omits: name, level, parent.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParamsError([Problem(str(path), None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from exc
    except OSError as exc:
        raise ParamsError([Problem(str(path), None, f"cannot read: {exc.strerror}")]) from exc
    return loads_params(text, str(path), agencies)


def loads_params(text: str, file: str = "<params>", agencies: dict[str, Agency] | None = None) -> Report:
    """Load params YAML text into a Report; raise ParamsError listing every problem."""
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ParamsError([Problem(file, line, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    r = _Reader(file, loader)
    if root is None:
        raise ParamsError([Problem(file, None, "the file is empty")])
    top = r.mapping(root, "top level", TOP_KEYS)
    if r.problems and not top:
        raise ParamsError(r.problems)
    report = _read(r, top, root, agencies)
    if r.problems:
        raise ParamsError(r.problems)
    report.source = file
    return report


def _read(r: _Reader, top: dict, root, agencies=None) -> Report:
    agency = _read_agency(r, top.get("agency", (None, None))[1], root, agencies)
    year_node = top.get("year", (None, None))[1]
    year = None
    if year_node is None:
        r.problem(root, "year: missing (the report year, e.g. 2020)")
    else:
        v = r.value(year_node) if isinstance(year_node, yaml.ScalarNode) else None
        if isinstance(v, int) and not isinstance(v, bool):
            year = v
        else:
            r.problem(year_node, f"year: expected a report year like 2020, got {_show(year_node)}")
    fmt: Format | None = None
    fnode = top.get("format", (None, None))[1]
    try:
        if fnode is not None:
            fmt = get_format(str(fnode.value))
        elif year is not None:
            fmt = format_for_year(year)
    except FormatError as exc:
        r.problem(fnode or year_node, f"format: {exc}")
    report = Report(agency=agency, year=year or 0, format_id=fmt.id if fmt else "2021")
    report.published = r.date(top.get("published", (None, None))[1], "published")
    report.contact = r.text(top.get("contact", (None, None))[1], "contact")
    report.preamble = r.text(top.get("preamble", (None, None))[1], "preamble") or ""
    _read_sections(r, top.get("sections", (None, None))[1], report)
    _read_signature(r, top.get("signature", (None, None))[1], report)
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


def _read_agency(r: _Reader, node, root, agencies=None) -> Agency:
    if node is None:
        r.problem(root, "agency: missing (id, name, level)")
        return Agency("unknown", "")
    m = r.mapping(node, "agency", AGENCY_KEYS)
    aid = r.text(m.get("id", (None, None))[1], "agency.id", required=True) or "unknown"
    if aid != "unknown" and not AGENCY_ID.match(aid):
        r.problem(m["id"][1], f"agency.id: {aid!r} must be a slug of lower-case letters, digits and '-'")
    known = (agencies or {}).get(aid)
    if agencies is not None and known is None and aid != "unknown":
        r.problem(m["id"][1], f"agency.id: {aid!r} is not in the roster (params/agencies.yaml)")
    if known is not None:  # the roster holds name, level and parent; the file may omit them
        name = r.text(m.get("name", (None, None))[1], "agency.name") or known.name
        level = r.text(m.get("level", (None, None))[1], "agency.level") or known.level
        parent = r.text(m.get("parent", (None, None))[1], "agency.parent") or known.parent
        if level not in AGENCY_LEVELS:
            r.problem(m["level"][1], f"agency.level: unknown level {level!r}{_did_you_mean(level, AGENCY_LEVELS)}")
        return Agency(aid, name, level, parent)
    name = r.text(m.get("name", (None, None))[1], "agency.name", required=True) or ""
    level = r.text(m.get("level", (None, None))[1], "agency.level") or AGENCY_LEVELS[0]
    if level not in AGENCY_LEVELS:
        r.problem(m["level"][1], f"agency.level: unknown level {level!r}{_did_you_mean(level, AGENCY_LEVELS)}")
    parent = r.text(m.get("parent", (None, None))[1], "agency.parent")
    return Agency(aid, name, level, parent)


def _read_sections(r: _Reader, node, report: Report) -> None:
    if node is None:
        return
    m = r.mapping(node, "sections", SECTION_IDS)
    for sid, (_, vnode) in m.items():
        if isinstance(vnode, yaml.MappingNode):
            sm = r.mapping(vnode, f"sections.{sid}", ("title", "text"))
            title = r.text(sm.get("title", (None, None))[1], f"sections.{sid}.title")
            if title:
                report.section_titles[sid] = title
            report.sections[sid] = r.text(sm.get("text", (None, None))[1], f"sections.{sid}.text") or ""
        else:
            report.sections[sid] = r.text(vnode, f"sections.{sid}") or ""


def _read_signature(r: _Reader, node, report: Report) -> None:
    if node is None:
        return
    m = r.mapping(node, "signature", ("agency", "date"))
    agency = r.text(m.get("agency", (None, None))[1], "signature.agency") or report.agency.name
    report.signature = Signature(agency, r.date(m.get("date", (None, None))[1], "signature.date"))


def _read_table(r: _Reader, fmt: Format, table_id: str, key: str, node, report: Report) -> None:
    table = fmt.table(table_id)
    rows = {row.id: row for row in table.rows}
    m = r.mapping(node, f"{key} (format {fmt.id})", list(rows))
    for row_id, (_knode, vnode) in m.items():
        specs = fmt.row_cells(table_id, row_id)
        label = f"{key}.{row_id} 「{fmt.row_label(table_id, row_id)}」"
        cols = "、".join(s.column.label for s in specs)
        if not isinstance(vnode, yaml.SequenceNode):
            r.problem(vnode, f"{label}: expected a list of {len(specs)} values ({cols}), got {_kind(vnode)}")
            continue
        if len(vnode.value) != len(specs):
            r.problem(vnode, f"{label}: expected {len(specs)} values ({cols}), got {len(vnode.value)}")
            continue
        for spec, item in zip(specs, vnode.value):
            cell = _read_cell(r, spec, item)
            if cell is not None:
                report.cells[spec.id] = cell


def _read_cell(r: _Reader, spec, node) -> Cell | None:
    note = None
    if isinstance(node, yaml.MappingNode):
        m = r.mapping(node, f"{spec.id} {spec.label}", ("value", "note"))
        note = r.text(m.get("note", (None, None))[1], f"{spec.id} note")
        node = m.get("value", (None, None))[1]
        if node is None:
            return Cell.blank() if note is None else Cell(None, "blank", None, note)
    if not isinstance(node, yaml.ScalarNode):
        r.problem(node, f"{spec.label} ({spec.id}): expected {expected_text(spec.column)}, got {_kind(node)}")
        return None
    if node.tag.endswith(":null") and not node.style:
        cell = Cell.blank()
    else:
        try:
            cell = cell_from_text(str(node.value), spec.column)
        except ValueTextError:
            r.problem(node, f"{spec.label} ({spec.id}): expected {expected_text(spec.column)}, got {node.value!r}")
            return None
    if note:
        cell.note = note
    return cell


def _read_extensions(r: _Reader, node, report: Report) -> None:
    if not isinstance(node, yaml.SequenceNode):
        r.problem(node, f"extensions: expected a list of tables, got {_kind(node)}")
        return
    for i, tnode in enumerate(node.value):
        where = f"extensions[{i}]"
        m = r.mapping(tnode, where, ("id", "title", "after", "columns", "rows", "numbered"))
        if not m:
            continue
        after = r.text(m.get("after", (None, None))[1], f"{where}.after") or "s6"
        if after not in SECTION_IDS:
            r.problem(m["after"][1], f"{where}.after: expected a section id{_did_you_mean(after, SECTION_IDS)}")
        cols_node = m.get("columns", (None, None))[1]
        columns = [str(c.value) for c in cols_node.value] if isinstance(cols_node, yaml.SequenceNode) else []
        if not columns:
            r.problem(cols_node or tnode, f"{where}.columns: expected the list of column headers")
        rows: list[ExtensionRow] = []
        rows_node = m.get("rows", (None, None))[1]
        for j, rnode in enumerate(rows_node.value if isinstance(rows_node, yaml.SequenceNode) else []):
            rm = r.mapping(rnode, f"{where}.rows[{j}]", ("label", "indent", "values"))
            label = r.text(rm.get("label", (None, None))[1], f"{where}.rows[{j}].label", required=True) or ""
            indent = r.value(rm["indent"][1]) if "indent" in rm else 0
            vnode = rm.get("values", (None, None))[1]
            values = r.value(vnode) if vnode is not None else []
            if not isinstance(values, list) or len(values) != len(columns) - 1:
                r.problem(vnode or rnode, f"{where}.rows[{j}] 「{label}」: expected {len(columns) - 1} values "
                          f"({'、'.join(columns[1:])})")  # fmt: skip
                continue
            rows.append(ExtensionRow(label, [_ext_value(v) for v in values], int(indent or 0)))
        numbered = bool(r.value(m["numbered"][1])) if "numbered" in m else True
        report.extensions.append(
            Extension(
                id=r.text(m.get("id", (None, None))[1], f"{where}.id") or f"ext{i + 1}",
                title=r.text(m.get("title", (None, None))[1], f"{where}.title", required=True) or "",
                after=after,
                columns=columns,
                rows=rows,
                numbered=numbered,
            )
        )


def _ext_value(v):
    if v is None or isinstance(v, (int, str)) and not isinstance(v, bool):
        return v
    return str(v)


def _read_provenance(r: _Reader, node, report: Report, fmt: Format | None) -> None:
    m = r.mapping(node, "provenance", None)
    for cid, (knode, vnode) in m.items():
        if fmt is not None and not fmt.has_cell(cid):
            r.problem(knode, f"provenance: unknown cell id {cid!r}{_did_you_mean(cid, fmt.cell_ids())}")
            continue
        pm = r.mapping(vnode, f"provenance.{cid}", ("source", "confidence", "uncertain", "reason"))
        report.provenance[cid] = Provenance(
            source=r.text(pm.get("source", (None, None))[1], f"provenance.{cid}.source") or "",
            confidence=float(r.value(pm["confidence"][1])) if "confidence" in pm else 1.0,
            uncertain=bool(r.value(pm["uncertain"][1])) if "uncertain" in pm else False,
            reason=r.text(pm.get("reason", (None, None))[1], f"provenance.{cid}.reason"),
        )


# ------------------------------------------------------------------ locating files


def params_path(params_dir: str | Path, year: int, agency_id: str) -> Path:
    """Where the params file of an agency and year lives."""
    return Path(params_dir) / str(year) / f"{agency_id}.yaml"


def discover(params_dir: str | Path) -> list[tuple[int, str, Path]]:
    """Every ``<year>/<agency>.yaml`` below a params directory, sorted by year then agency."""
    out = []
    root = Path(params_dir)
    if not root.is_dir():
        return out
    for ydir in root.iterdir():
        if ydir.is_dir() and ydir.name.isdigit():
            for f in ydir.glob("*.yaml"):
                out.append((int(ydir.name), f.stem, f))
    return sorted(out)
