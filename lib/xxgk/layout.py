"""The params directory's layout: ``<root>/<year>/<agency-id>.yaml``, each file saying the year of its folder
and the agency id of its name, no agency id twice in a year, and no file that leads outside the root (a
symbolic link to, say, /etc/passwd is refused before anything reads it). Checked before a build starts a
kernel and by ``xxgk check``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from xxgk.errors import UserError
from xxgk.i18n import _

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LayoutError(UserError):
    """Params files whose place does not match what they say (or that lead outside the params directory)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = _("the params files are not laid out as <year>/<agency-id>.yaml")
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


def outside_root(path: Path, root: Path) -> Path | None:
    """Where a file really is when that is outside ``root`` (a symbolic link leading out); None when inside."""
    real = Path(path).resolve()
    return None if real.is_relative_to(Path(root).resolve()) else real


def escaping_link(path: Path, root: Path) -> str | None:
    """The message for a file that leads outside the params directory; None for a file inside it."""
    real = outside_root(path, root)
    if real is None:
        return None
    return (f"{path}: a symbolic link to {real}, outside the params directory {root}; refused "
            "(params files must live under the params directory)")  # fmt: skip


def head(path: Path) -> dict:
    """The file's ``year`` and ``agency.id`` (value, line), read from the YAML event stream until both are seen
    (the tables are never parsed); {} when the file cannot be read (the params loader then reports it)."""
    found: dict = {}
    stack: list[dict] = []  # open containers: is it a mapping, the key whose value comes next, is it a key itself
    try:
        for ev in yaml.parse(Path(path).read_text(encoding="utf-8"), Loader=_Loader):
            if isinstance(ev, yaml.CollectionEndEvent):
                done = stack.pop()
                if stack and stack[-1]["map"] and not done["is_key"]:
                    stack[-1]["key"] = None
                continue
            if not isinstance(ev, yaml.NodeEvent):
                continue
            parent = stack[-1] if stack else None
            is_key = parent is not None and parent["map"] and parent["key"] is None
            if is_key:
                parent["key"] = ev.value if isinstance(ev, yaml.ScalarEvent) else ()
            elif isinstance(ev, yaml.ScalarEvent):
                where = tuple(c["key"] for c in stack)
                if where in (("year",), ("agency", "id")):
                    found[where[-1]] = (ev.value, ev.start_mark.line + 1)
                    if len(found) == 2:
                        break
                if parent is not None and parent["map"]:
                    parent["key"] = None
            elif isinstance(ev, yaml.AliasEvent) and parent is not None and parent["map"]:
                parent["key"] = None
            if isinstance(ev, yaml.CollectionStartEvent):
                stack.append({"map": isinstance(ev, yaml.MappingStartEvent), "key": None, "is_key": is_key})
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return found


def layout_problems(files: Iterable[tuple[int, str, Path]]) -> list[str]:
    """Messages for every file whose ``year`` differs from its folder or whose ``agency.id`` differs from its name,
    and for every agency id given by two files of one year (both named)."""
    problems = []
    by_id: dict[tuple[int, str], list[Path]] = {}
    for year, stem, path in files:
        h = head(path)
        if "year" in h:
            value, line = h["year"]
            if value.strip() != str(year):
                problems.append(_("{path}:{line}: year {value} does not match its folder {year} (move the file to {value2} or set year: {year})").format(path=path, line=line, value=value, year=year, value2=Path(path).parent.parent / value / Path(path).name))  # fmt: skip
        agency = stem
        if "id" in h:
            agency, line = h["id"]
            if agency != stem:
                problems.append(_("{path}:{line}: agency.id {agency!r} does not match the file name {stem!r} (rename the file to {with_name} or set id: {stem})").format(path=path, line=line, agency=agency, stem=stem, with_name=Path(path).with_name(agency + Path(path).suffix)))  # fmt: skip
        by_id.setdefault((year, agency), []).append(Path(path))
    for (year, agency), paths in sorted(by_id.items()):
        if len(paths) > 1:
            names = " and ".join(str(p) for p in sorted(paths))
            problems.append(_("{names}: both are agency {agency!r} in {year}; an agency has one params file a year").format(names=names, agency=agency, year=year))
    return problems


def check_layout(found: Iterable[tuple[int, str, Path]], root: Path, years=None) -> None:
    """LayoutError listing every problem of the params files found: links leading outside the root anywhere,
    year, id and duplicate problems among the files of ``years`` (all years when None)."""
    problems, scope = [], []
    for y, a, p in found:
        link = escaping_link(p, root)
        if link:
            problems.append(link)
        elif years is None or y in years:
            scope.append((y, a, p))
    problems += layout_problems(scope)
    if problems:
        raise LayoutError(problems)
