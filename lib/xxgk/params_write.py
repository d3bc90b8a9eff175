"""Write a Report as a human-editable params YAML file (the inverse of ``xxgk.params.load_params``)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml

from xxgk.i18n import _
from xxgk.model import BLANK, NA, Cell, Report
from xxgk.params import TABLE_KEYS
from xxgk.params_review import dump_office
from xxgk.validate import SLUG, one_line, strip_unsafe
from xxgk.values import canonical_text

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_PLAIN_SAFE = re.compile(r"^[\w\u3400-\u9fff（）、·]+$")
_YAML_WORDS = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null|~)$", re.I)


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar, as the YAML emitter writes it (escapes for whatever YAML cannot hold raw)."""
    out = yaml.dump(text, Dumper=_Dumper, default_style='"', allow_unicode=True, width=1 << 30)
    return out[:-1] if out.endswith("\n") else out


def quote(text: str) -> str:
    """A YAML scalar for a text: plain when unambiguous, else a double-quoted string (unsafe characters removed)."""
    text = strip_unsafe(str(text))
    if _PLAIN_SAFE.match(text) and not _YAML_WORDS.match(text) and not re.match(r"^[\d.+-]", text):
        return text
    if SLUG.match(text) and text[0].isalpha() and not _YAML_WORDS.match(text):
        return text  # an id: letters, digits and '-' read back as the same string
    return _double_quoted(text)


def block(text: str, indent: int) -> str:
    """A YAML literal block scalar for narrative text, or a quoted string when a block cannot hold it."""
    text = strip_unsafe(text)
    if not text:
        return '""'
    if any(ch in text for ch in "\r\x85\u2028\u2029\t") or any(not (ch.isprintable() or ch == "\n") for ch in text):
        return _double_quoted(text)
    lines = text.split("\n")
    if all(not ln.strip() for ln in lines):
        return _double_quoted(text)
    trailing = len(text) - len(text.rstrip("\n"))
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    body_lines = text[: len(text) - trailing].split("\n") if trailing else lines
    indicator = "2" if body_lines[0].startswith(" ") else ""  # relative to the parent (always 2 deeper)
    pad = " " * indent
    body = "\n".join(pad + ln if ln else "" for ln in body_lines)
    extra = "\n" * (trailing - 1) if trailing > 1 else ""
    return f"|{indicator}{chomp}\n{body}{extra}"


def cell_yaml(cell: Cell) -> str:
    """One cell in a table row: a number, null for blank, the raw text when it carries more."""
    if cell.state == NA:
        text = quote(cell.raw or "n/a")
    elif cell.state == BLANK or cell.value is None:
        text = "null" if not cell.raw else quote(cell.raw)
    elif cell.raw is not None:
        text = quote(cell.raw)
    else:
        text = canonical_text(cell.value)
    if cell.note and not (cell.raw and cell.note in cell.raw):
        inner = "null" if text == "null" else text
        return f"{{value: {inner}, note: {quote(cell.note)}}}"
    return text


def dump_params(report: Report) -> str:
    """The params YAML text for a report: official row order, labels as comments."""
    fmt = report.fmt
    out: list[str] = [
        f"# {one_line(report.title)}",
        f"# xxgk params file — format {fmt.id} ({fmt.document}). Blank cells: null or \"/\" (blank is not 0).",
        "agency:",
        f"  id: {quote(report.agency.id)}",
        f"  name: {quote(report.agency.name)}",
        f"  level: {quote(report.agency.level)}",
    ]
    if report.agency.parent:
        out.append(f"  parent: {quote(report.agency.parent)}")
    out.append(f"year: {report.year}")
    out.append(f'format: "{fmt.id}"')
    out.append(f"published: {report.published.isoformat() if report.published else 'null'}")
    if report.contact:
        out.append(f"contact: {quote(report.contact)}")
    if report.signature:
        out.append("signature:")
        out.append(f"  agency: {quote(report.signature.agency)}")
        out.append(f"  date: {report.signature.date.isoformat() if report.signature.date else 'null'}")
    out.append("")
    out.append(f"preamble: {block(report.preamble, 2)}")
    out.append("")
    out.append("sections:")
    for section in fmt.sections:
        text = report.section_text(section.id)
        out.append(f"  # {section.heading}")
        if section.id in report.section_titles:
            out.append(f"  {section.id}:")
            out.append(f"    title: {quote(report.section_titles[section.id])}")
            out.append(f"    text: {block(text, 6)}")
        else:
            out.append(f"  {section.id}: {block(text, 4)}")
    for key, table_id in TABLE_KEYS.items():
        out.append("")
        out.extend(_table_lines(report, key, table_id))
    if report.extensions:
        out.append("")
        out.append("extensions:")
        for ext in report.extensions:
            out.append(f"  - id: {quote(ext.id)}")
            out.append(f"    title: {quote(ext.title)}")
            out.append(f"    after: {quote(ext.after)}")
            if not ext.numbered:
                out.append("    numbered: false")
            out.append(f"    columns: [{', '.join(quote(c) for c in ext.columns)}]")
            out.append("    rows:")
            for row in ext.rows:
                vals = ", ".join(_ext_yaml(v) for v in row.values)
                out.append(f"      - {{label: {quote(row.label)}, indent: {row.indent}, values: [{vals}]}}")
    if report.provenance:
        out.append("")
        out.append("provenance:")
        for cid in fmt.cell_ids():
            p = report.provenance.get(cid)
            if p is None:
                continue
            parts = [f"source: {quote(p.source)}", f"confidence: {round(p.confidence, 3)}"]
            parts.append(f"uncertain: {'true' if p.uncertain else 'false'}")
            if p.reason:
                parts.append(f"reason: {quote(p.reason)}")
            out.append(f"  {cid}: {{{', '.join(parts)}}}")
    out.extend(dump_office(report, quote))
    return "\n".join(out) + "\n"


def _ext_yaml(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return quote(str(v))


def _table_lines(report: Report, key: str, table_id: str) -> list[str]:
    fmt = report.fmt
    table = fmt.table(table_id)
    lines = [f"{key}:  # 表{'二三四'[int(table_id[1]) - 2]} {table.title}"]
    for block_ in table.blocks:
        heads = "、".join(c.label for c in block_.columns)
        lines.append(f"  # {block_.title + ' — ' if block_.title else ''}columns: {heads}")
        width = max(len(r.id) for r in block_.rows) + 1
        for row in block_.rows:
            cells = [cell_yaml(report.cell(f"{table_id}.{row.id}.{c.id}")) for c in block_.columns]
            label = " ".join(p for p in (row.parent if table_id == "t4" else None, row.group, row.label) if p)
            lines.append(f"  {(row.id + ':').ljust(width)} [{', '.join(cells)}]  # {label}")
    return lines


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_sha256(path: str | Path) -> str:
    """The SHA-256 (hex) of a file's bytes: what collect and demo record to tell their own writes from hand edits."""
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_text_atomic(path: str | Path, text: str | bytes, overwrite: bool = True) -> Path:
    """Write a file through a temporary name in the same directory, then rename it into place.

    With ``overwrite=False`` the file is put in place by a hard link, which fails with FileExistsError
    when the name is taken, so an existing file is never replaced, even by a concurrent writer.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def save_params(report: Report, path: str | Path, overwrite: bool = True) -> Path:
    """Write a report's params file atomically; refuse to replace an existing file unless asked."""
    try:
        return write_text_atomic(path, dump_params(report), overwrite=overwrite)
    except FileExistsError:
        raise FileExistsError(_("{path} exists; not overwriting it").format(path=path)) from None
