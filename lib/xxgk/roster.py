"""The office roster ``params/agencies.yaml``: every agency the office oversees (id, full name, level, parent,
optional contact and group), validated with file:line problems like params files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from xxgk.i18n import _
from xxgk.model import AGENCY_LEVELS, Agency
from xxgk.params import AGENCY_ID
from xxgk.params_reader import ParamsError, Problem, Reader, compose, did_you_mean

ROSTER_NAME = "agencies.yaml"
ENTRY_KEYS = ("id", "name", "level", "parent", "contact", "group")


@dataclass(frozen=True)
class Member:
    """One agency of the roster."""

    id: str
    name: str
    level: str
    parent: str | None = None
    contact: str | None = None
    group: str | None = None
    line: int | None = None

    def agency(self) -> Agency:
        """The report model's Agency for this roster entry."""
        return Agency(self.id, self.name, self.level, self.parent)


@dataclass
class Roster:
    """The agencies of an office, in roster order."""

    members: dict[str, Member]
    file: str = ROSTER_NAME

    def __contains__(self, agency_id: str) -> bool:
        return agency_id in self.members

    def __getitem__(self, agency_id: str) -> Member:
        return self.members[agency_id]

    def agencies(self) -> dict[str, Agency]:
        """Id → Agency, what ``load_params(path, agencies=…)`` fills omitted details from."""
        return {m.id: m.agency() for m in self.members.values()}

    def children(self, parent: str) -> list[Member]:
        """The members whose parent is ``parent``, in roster order."""
        return [m for m in self.members.values() if m.parent == parent]


def roster_path(params_dir: str | Path) -> Path:
    """Where the roster of a params directory lives."""
    return Path(params_dir) / ROSTER_NAME


def load_roster(path: str | Path) -> Roster:
    """Load and validate a roster; ParamsError lists every problem (file:line)."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParamsError([Problem(file, None, _("cannot read the roster: {strerror}").format(strerror=exc.strerror))]) from exc
    except UnicodeDecodeError as exc:
        raise ParamsError([Problem(file, None, _("not UTF-8 text ({reason} at byte {start})").format(reason=exc.reason, start=exc.start))]) from exc
    loader, root = compose(text, file)  # alias bombs and deep nesting refused like in params files
    r = Reader(file, loader)
    node = root
    if isinstance(root, yaml.MappingNode):
        top = r.mapping(root, "top level", ("agencies",))
        node = top.get("agencies", (None, None))[1]
    if not isinstance(node, yaml.SequenceNode):
        raise ParamsError([Problem(file, None, _("expected `agencies:` followed by a list of agencies (id, name, level, parent)"))])
    members: dict[str, Member] = {}
    parent_nodes = {}
    for where, item, m in r.items(node, "agencies", ENTRY_KEYS):
        aid = r.text(m.get("id", (None, None))[1], f"{where}.id", required=True)
        if aid is None:
            r.problem(item, f"{where}: id is required")
            continue
        if not AGENCY_ID.match(aid):
            r.problem(m["id"][1], f"{where}.id: {aid!r} must be a slug of lower-case letters, digits and '-'")
        name = r.text(m.get("name", (None, None))[1], f"{where}.name", required=True) or ""
        if "name" not in m:
            r.problem(item, f"{where} ({aid}): name (the agency's full name) is required")
        level = r.text(m.get("level", (None, None))[1], f"{where}.level") or AGENCY_LEVELS[0]
        if level not in AGENCY_LEVELS:
            r.problem(m["level"][1], f"{where}.level: unknown level {level!r}{did_you_mean(level, AGENCY_LEVELS)}")
        parent = r.text(m.get("parent", (None, None))[1], f"{where}.parent")
        line = item.start_mark.line + 1
        if aid in members:
            r.problem(m["id"][1], f"{where}.id: {aid!r} given twice (first at line {members[aid].line})")
            continue
        members[aid] = Member(aid, name, level, parent, r.text(m.get("contact", (None, None))[1], f"{where}.contact"),
                              r.text(m.get("group", (None, None))[1], f"{where}.group"), line)  # fmt: skip
        if parent:
            parent_nodes[aid] = m["parent"][1]
    for aid, pnode in parent_nodes.items():
        parent = members[aid].parent
        if parent not in members:
            r.problem(pnode, f"{aid}: parent {parent!r} is not in the roster{did_you_mean(parent, list(members))}")
    for aid in members:  # cycles: follow parents until the top or a repeat
        seen, cur = [aid], members[aid].parent
        while cur in members and cur not in seen:
            seen.append(cur)
            cur = members[cur].parent
        if cur == aid:
            r.problem(parent_nodes[aid], f"{aid}: parents form a cycle ({' → '.join([*seen, aid])})")
    if r.problems:
        raise ParamsError(r.problems)
    return Roster(members, file)


def check_params_agencies(roster: Roster, params_files) -> list[Problem]:
    """Problems for params files (``(year, agency id, path)`` as ``params.discover`` gives) outside the roster."""
    return [Problem(str(p), None, _("agency {aid!r} is not in the roster {file}").format(aid=aid, file=roster.file)) for _year, aid, p in params_files
            if aid not in roster]  # fmt: skip


def dump_roster(members) -> str:
    """The roster YAML text for a list of Members."""
    from xxgk.params_write import quote

    out = ["# xxgk office roster: every agency the office oversees (id, full name, level, parent, contact, group)",
           "agencies:"]  # fmt: skip
    for m in members:
        parts = [f"id: {m.id}", f"name: {quote(m.name)}", f"level: {quote(m.level)}"]
        if m.parent:
            parts.append(f"parent: {m.parent}")
        if m.contact:
            parts.append(f"contact: {quote(m.contact)}")
        if m.group:
            parts.append(f"group: {quote(m.group)}")
        out.append(f"  - {{{', '.join(parts)}}}")
    return "\n".join(out) + "\n"
