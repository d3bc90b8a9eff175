"""The typed YAML node reader behind ``xxgk.params``: every value is checked against its declared type, range
and length before use, and every problem is kept with its file and line."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass

import yaml

from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.validate import MAX_LABEL, MAX_YAML_DEPTH, MAX_YAML_NODES, text_problem

INVALID = object()
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster, same marks


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


def compose(text: str, file: str):
    """The YAML node tree of a text, refusing alias bombs and deep nesting before anything is built."""
    try:
        _guard(text, file)
        loader = _Loader(text)
        return loader, loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = str(getattr(exc, "problem", exc))
        if "nesting depth" in problem:  # libyaml's own bound, met before ours
            problem = _("YAML nested deeper than the limit of {max_yaml_depth} levels").format(max_yaml_depth=MAX_YAML_DEPTH)
        else:
            problem = _("not valid YAML: {problem}").format(problem=problem)
        raise ParamsError([Problem(file, line, problem)]) from None


def _guard(text: str, file: str) -> None:
    """Count nodes as aliases would expand them, and the nesting depth, over the event stream."""
    sizes: dict[str, int] = {}
    counts, anchors = [0], []
    for ev in yaml.parse(text, Loader=_Loader):
        if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            counts.append(1)
            anchors.append(ev.anchor)
            if len(anchors) > MAX_YAML_DEPTH:
                raise ParamsError([Problem(file, ev.start_mark.line + 1, _("YAML nested deeper than the limit of {max_yaml_depth} levels").format(max_yaml_depth=MAX_YAML_DEPTH))])  # fmt: skip
            continue
        if isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            n, anchor = counts.pop(), anchors.pop()
            if anchor:
                sizes[anchor] = n
        elif isinstance(ev, yaml.ScalarEvent):
            n = 1
            if ev.anchor:
                sizes[ev.anchor] = 1
        elif isinstance(ev, yaml.AliasEvent):
            n = sizes.get(ev.anchor, 1)
        else:
            continue
        counts[-1] += n
        if counts[-1] > MAX_YAML_NODES:
            raise ParamsError([Problem(file, ev.start_mark.line + 1, _("YAML aliases expand to more than the limit of {max_yaml_nodes:,} nodes (an alias bomb?)").format(max_yaml_nodes=MAX_YAML_NODES))])  # fmt: skip


class Reader:
    """Walks a composed YAML node tree, collecting problems with line numbers."""

    def __init__(self, file: str, loader) -> None:
        self.file = file
        self.loader = loader
        self.problems: list[Problem] = []

    def problem(self, node, message: str) -> None:
        """Record a problem at a node's line."""
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.file, line, message))

    def value(self, node):
        """The Python value of a node; an unconstructible scalar (e.g. 2021-13-45) gives ``INVALID``."""
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, RecursionError, yaml.YAMLError):
            return INVALID

    def mapping(self, node, where: str, allowed) -> dict:
        """Key → (key node, value node); unknown keys are reported with a did-you-mean."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, _("{where}: expected a mapping of keys, got {kind}").format(where=where, kind=kind(node)))
            return {}
        out = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                self.problem(knode, _("{where}: expected a plain key, got {kind}").format(where=where, kind=kind(knode)))
                continue
            key = str(knode.value)
            if allowed is not None and key not in allowed:
                self.problem(knode, _("{where}: unknown key {key!r}{did_you_mean}").format(where=where, key=key[:80], did_you_mean=did_you_mean(key, allowed)))
                continue
            if key in out:
                self.problem(knode, _("{where}: key {key!r} given twice").format(where=where, key=key[:80]))
            out[key] = (knode, vnode)
        return out

    def items(self, node, label: str, allowed):
        """Each mapping of a YAML list as ``(where, item node, key → (key node, value node))``, ``where`` being
        ``label[i]``; an item that is not a mapping (or has no allowed key) is reported by ``mapping`` and skipped."""
        for i, item in enumerate(node.value):
            where = f"{label}[{i}]"
            m = self.mapping(item, where, allowed)
            if m:
                yield where, item, m

    def text(self, node, where: str, required: bool = False, max_len: int = MAX_LABEL, parent=None) -> str | None:
        """A text scalar (any scalar is read as written), checked for unsafe characters and length.

        ``parent`` is the mapping that should hold the key, for the line of a missing required text.
        """
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and not node.style):
            if required:
                self.problem(node if node is not None else parent, _("{where}: a text is required").format(where=where))
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, _("{where}: expected a text, got {kind}").format(where=where, kind=kind(node)))
            return None
        text = str(node.value)
        problem = text_problem(text, max_len)
        if problem:
            self.problem(node, _("{where}: the text {problem}").format(where=where, problem=problem))
            return None
        return text

    def boolean(self, node, where: str, default: bool) -> bool:
        """A true/false scalar; anything else (2, a date, a list) is a problem."""
        if node is None:
            return default
        v = self.value(node) if isinstance(node, yaml.ScalarNode) else INVALID
        if not isinstance(v, bool):
            self.problem(node, _("{where}: expected true or false, got {kind}").format(where=where, kind=kind(node)))
            return default
        return v

    def integer(self, node, where: str, low: int, high: int, default: int) -> int:
        """A whole number in ``low..high``."""
        if node is None:
            return default
        v = self.value(node) if isinstance(node, yaml.ScalarNode) else INVALID
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
            self.problem(node, _("{where}: expected a whole number {low}–{high}, got {kind}").format(where=where, low=low, high=high, kind=kind(node)))
            return default
        return v

    def fraction(self, node, where: str, default: float) -> float:
        """A finite number between 0 and 1."""
        if node is None:
            return default
        v = self.value(node) if isinstance(node, yaml.ScalarNode) else INVALID
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 1:
            self.problem(node, _("{where}: expected a number between 0 and 1 (e.g. 0.85), got {kind}").format(where=where, kind=kind(node)))
            return default
        return float(v)

    def date(self, node, where: str) -> dt.date | None:
        """A date (2021-01-20 or 2021年1月20日)."""
        if node is None or node.tag.endswith(":null"):
            return None
        v = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, dt.date):
            return v
        m = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", str(v or "").strip())
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        self.problem(node, _("{where}: expected a date like 2021-01-20 (or 2021年1月20日), got {kind}").format(
            where=where, kind=kind(node)))
        return None


def kind(node) -> str:
    """A node as shown in a message: its kind, or its (shortened) text."""
    if node is None:
        return _("nothing")
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    text = str(node.value)
    return repr(text if len(text) <= 60 else _("{start}… ({n} characters)").format(start=text[:40], n=len(text)))


def did_you_mean(key: str, allowed) -> str:
    """'; did you mean X?' for a close key, else the allowed keys."""
    close = difflib.get_close_matches(key[:200], list(allowed), n=1, cutoff=0.6)
    if close:
        return _("; did you mean {name!r}?").format(name=close[0])
    return _("; allowed: {names}").format(names=", ".join(allowed))
