"""``xxgk new``: start next year's params file from last year's.

Agency details are copied; 「二、上年结转」 is filled column by column from last year's 「四、结转下年度继续办理」
(X-CARRY); every other figure is blank (null); the narrative is left empty with last year's text shown as
YAML comments, so it is rewritten rather than copied (X-SIMILAR). The format follows the new year.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from xxgk.errors import UserError
from xxgk.formats import format_for_year
from xxgk.i18n import _
from xxgk.model import SECTION_IDS, Agency, Cell, Extension, ExtensionRow, Report, Signature
from xxgk.params import discover, load_params, loads_params, params_path
from xxgk.params_write import dump_params, write_text_atomic
from xxgk.values import ValueTextError, parse_number

CARRY_FROM, CARRY_TO = "carried_forward", "carried_over"
IN_FORCE = "in_force"


def _keeps(value) -> bool:
    """Whether an extension value is a fixed text (a unit such as 条, or 「——」) rather than a figure."""
    if value is None or isinstance(value, (int, float)):
        return False
    try:
        parse_number(str(value))
    except ValueTextError:
        return True
    return False


def carry_forward(last: Report, year: int) -> Report:
    """A new report for ``year`` started from last year's: details and carried-over counts, the rest blank."""
    fmt = format_for_year(year)
    a = last.agency
    report = Report(Agency(a.id, a.name, a.level, a.parent), year, fmt.id)
    report.contact = last.contact
    if last.signature is not None:
        report.signature = Signature(last.signature.agency, None)
    report.sections = {sid: "" for sid in SECTION_IDS}
    report.complete_cells()
    (block,) = fmt.table("t3").blocks
    for column in block.columns:
        src, dst = f"t3.{CARRY_FROM}.{column.id}", f"t3.{CARRY_TO}.{column.id}"
        if fmt.has_cell(dst) and last.fmt.has_cell(src):
            c = last.cell(src)
            report.cells[dst] = Cell(c.value, c.state, c.raw)
    report.extensions = [
        Extension(e.id, e.title, e.after, list(e.columns),
                  [ExtensionRow(r.label, [v if _keeps(v) else None for v in r.values], r.indent) for r in e.rows],
                  e.numbered)  # fmt: skip
        for e in last.extensions
    ]
    return report


def _comment_lines(text: str, indent: str) -> list[str]:
    return [f"{indent}# | {line}".rstrip() for line in text.split("\n")]


def _insert_before(lines: list[str], prefix: str, new: list[str], start: int = 0) -> int:
    """Insert lines before the first line starting with ``prefix`` (from ``start``); return its new index."""
    i = next(i for i in range(start, len(lines)) if lines[i].startswith(prefix))
    lines[i:i] = new
    return i + len(new)


def annotated_text(report: Report, last: Report, source: str) -> str:
    """The new params YAML with guidance comments: last year's narrative and the 现行有效件数 baseline."""
    lines = dump_params(report).rstrip("\n").split("\n")
    y0 = last.year
    lines[2:2] = [
        f"# Started by `xxgk new` from {source}: agency details copied; 二、上年结转 (carried_over) filled from",
        f"# {y0}'s 四、结转下年度继续办理 (X-CARRY); every other figure is blank (null). Fill them in.",
        f"# Narrative left empty: {y0}'s text is shown in comments for reference; write this year's own "
        "(X-SIMILAR flags near-copies).",
    ]
    heading = f"Last year's text ({y0}), for reference only:"
    if last.preamble.strip():
        _insert_before(lines, "preamble:", [f"# {heading}", *_comment_lines(last.preamble, "")])
    for sid in SECTION_IDS:
        text = last.section_text(sid)
        extra = []
        if sid in last.section_titles:
            extra.append(f"  # {y0}'s heading variant: 「{last.section_titles[sid]}」")
        if text.strip():
            extra += [f"  # {heading}", *_comment_lines(text, "  ")]
        if extra:
            start = lines.index("sections:")
            _insert_before(lines, f"  {sid}:", extra, start)
    fmt = report.fmt
    block = fmt.table("t2").blocks[0]
    if any(c.id == IN_FORCE for c in block.columns):
        start = lines.index(next(x for x in lines if x.startswith("table2:")))
        if all(last.fmt.has_cell(f"t2.{r.id}.{IN_FORCE}") for r in block.rows):
            vals = "，".join(f"{r.label} {last.cell(f't2.{r.id}.{IN_FORCE}').text() or '（空白）'}" for r in block.rows)
            note = [f"  # 现行有效件数 baseline from {y0}: {vals}.",
                    f"  # This year's 现行有效件数 should be {y0}'s + 本年制发件数 − 本年废止件数 (X-VALID-21)."]  # fmt: skip
        else:
            note = [f"  # {y0} used the {last.format_id} format: its 对外公开总数量 is not 现行有效件数 (no baseline);",
                    "  # count the documents in force on 12月31日."]  # fmt: skip
        _insert_before(lines, f"  # {block.title}", note, start)
    return "\n".join(lines) + "\n"


def write_new(path: Path, text: str) -> Path:
    """Write a file that must not exist yet (atomically; never replaces an existing file)."""
    try:
        return write_text_atomic(path, text, overwrite=False)
    except FileExistsError:
        raise UserError(_("{path} already exists; not overwriting it (edit it, or delete it to start again)").format(path=path)) from None


def _missing_last(params_dir: Path, agency: str, year: int) -> UserError:
    found = discover(params_dir)
    years = sorted(y for y, a, _ in found if a == agency)
    want = params_path(params_dir, year - 1, agency)
    if years:
        return UserError(_("{want} not found: {agency} has params files for {years} only; `xxgk new` starts year Y from year Y-1").format(want=want, agency=agency, years=', '.join(map(str, years))))  # fmt: skip
    peers = sorted({a for y, a, _ in found if y == year - 1})
    close = difflib.get_close_matches(agency, peers, n=3, cutoff=0.5)
    if close:
        hint = _("; did you mean {names}?").format(names=", ".join(close))
    elif peers:
        hint = _("; agencies with {year} files: {names}").format(year=year - 1, names=", ".join(peers[:10]))
    else:
        hint = _("; no {year} files under {params}").format(year=year - 1, params=params_dir)
    return UserError(_("{want} not found: no params file of agency {agency!r}{hint}").format(want=want, agency=agency, hint=hint))


def start_new_year(params_dir: str | Path, agency: str, year: int) -> Path:
    """Create ``<params>/<year>/<agency>.yaml`` from last year's file; never overwrite; return its path."""
    params_dir = Path(params_dir)
    target = params_path(params_dir, year, agency)
    if target.exists():
        raise UserError(_("{target} already exists; not overwriting it (edit it, or delete it to start again)").format(target=target))
    source = params_path(params_dir, year - 1, agency)
    if not source.is_file():
        raise _missing_last(params_dir, agency, year)
    last = load_params(source)
    report = carry_forward(last, year)
    text = annotated_text(report, last, str(source))
    loads_params(text, str(target))  # what we write must load
    return write_new(target, text)


def main(args) -> int:
    """``xxgk new``: start next year's params file from last year's."""
    path = start_new_year(args.params, args.agency, args.year)
    fmt = format_for_year(args.year)
    print(_("wrote {path} (format {format}): agency details and 二、上年结转 copied from {year}; "
            "figures blank, narrative to write (last year's text is in comments)").format(
        path=path, format=fmt.id, year=args.year - 1))
    return 0
