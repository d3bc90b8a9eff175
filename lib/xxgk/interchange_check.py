"""Checking an interchange document against the published schema, every problem by JSON pointer with the
official label and what was expected."""

from __future__ import annotations

import functools
import math

from xxgk.formats import FORMAT_IDS, get_format
from xxgk.limits import MAX_JSON_DEPTH
from xxgk.schemas import report_schema
from xxgk.validate import SLUG, UNSAFE, describe_char

MAX_PROBLEMS = 50


@functools.cache
def _validator():
    import jsonschema

    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def pointer(path) -> str:
    """A JSON pointer (RFC 6901) for a path of keys and indexes."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else "/"


def _short(v) -> str:
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, list):
        return f"a list of {len(v)}"
    if isinstance(v, bool) or v is None:
        return {True: "true", False: "false", None: "null"}[v]
    if isinstance(v, int) and abs(v) >= 10**15:
        return f"a {len(str(abs(v)))}-digit number"
    text = repr(v)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(str(v))} characters)"


def _walk(doc) -> list[str]:
    """Depth, text safety and finiteness over the whole tree (iteratively, so no depth can crash it)."""
    out: list[str] = []
    stack = [((), doc)]
    while stack and len(out) < MAX_PROBLEMS:
        path, v = stack.pop()
        if len(path) > MAX_JSON_DEPTH:
            out.append(f"{pointer(path[:8])}…: nested deeper than the limit of {MAX_JSON_DEPTH} levels")
            break
        if isinstance(v, dict):
            for k, x in v.items():
                m = UNSAFE.search(k)
                if m:
                    out.append(f"{pointer(path)}: a key contains {describe_char(m.group())}")
                stack.append(((*path, k), x))
        elif isinstance(v, list):
            stack.extend(((*path, i), x) for i, x in enumerate(v))
        elif isinstance(v, str):
            m = UNSAFE.search(v)
            if m:
                out.append(f"{pointer(path)}: the text contains {describe_char(m.group())} at character "
                           f"{m.start() + 1}; remove it")  # fmt: skip
        elif isinstance(v, float) and not math.isfinite(v):
            out.append(f"{pointer(path)}: expected a finite number, got {v!r}")
    return out


def _types(t) -> str:
    names = {"string": "a text", "integer": "a whole number", "number": "a number", "object": "an object",
             "array": "a list", "boolean": "true or false", "null": "null"}  # fmt: skip
    return " or ".join(names.get(x, x) for x in ([t] if isinstance(t, str) else t))


def _num(n) -> str:
    return f"{n:,}" if abs(n) >= 10_000 else str(n)


def _expected(schema: dict) -> str:
    """What a (sub)schema accepts, in words."""
    if "anyOf" in schema:
        return " or ".join(_expected(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(repr(x) for x in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    text = _types(schema.get("type", "any value"))
    if "minimum" in schema and "maximum" in schema:
        text += f" {_num(schema['minimum'])}–{_num(schema['maximum'])}"
    elif "maximum" in schema:
        text += f" at most {_num(schema['maximum'])}"
    if schema.get("pattern") == SLUG.pattern:
        text = "a slug of lower-case letters a-z, digits and '-' (never a path)"
    if "maxLength" in schema:
        text += f" of at most {schema['maxLength']:,} characters"
    return text


def _label(path) -> str:
    if len(path) == 2 and path[0] in ("cells", "cell_text", "provenance"):
        for fid in FORMAT_IDS:
            fmt = get_format(fid)
            if fmt.has_cell(str(path[1])):
                return " " + fmt.cell(str(path[1])).label
    return ""


def _message(e) -> str:
    path = list(e.absolute_path)
    where = pointer(path)
    title = e.schema.get("title") if isinstance(e.schema, dict) else None
    label = f" {title}" if title and path and not title.startswith("cells of") else _label(path)
    v = e.validator
    if v == "required":
        name = e.message.split("'")[1] if "'" in e.message else e.message
        sub = [*path, name]
        return f"{pointer(sub)}{_label(sub)}: missing (required{'; a blank cell is null' if path == ['cells'] else ''})"
    if v == "additionalProperties":
        extra = sorted(set(e.instance) - set(e.schema.get("properties", {})))
        names = ", ".join(repr(k[:60]) for k in extra[:5])
        if path == ["cells"]:
            return f"/cells: format {e.schema.get('title', '')[16:20]} has no cell(s) {names}{' …' if len(extra) > 5 else ''}"
        return f"{where}{label}: unknown key(s) {names}{' …' if len(extra) > 5 else ''}"
    if v in ("maxItems", "minItems"):
        return f"{where}{label}: expected {'at most' if v == 'maxItems' else 'at least'} {e.validator_value} items, got {len(e.instance)}"
    if v in ("maxLength", "minLength"):
        n = len(e.instance)
        return f"{where}{label}: expected {'at most' if v == 'maxLength' else 'at least'} {e.validator_value} characters, got {n}"
    return f"{where}{label}: expected {_expected(e.schema)}, got {_short(e.instance)}"


def document_problems(doc, allow_missing: bool = False) -> list[str]:
    """Every problem of an interchange document (JSON pointer, label, expectation); empty when it is valid."""
    if not isinstance(doc, dict):
        return [f"/: expected a JSON object ({report_schema()['title']}), got {_short(doc)}"]
    walked = _walk(doc)
    if walked:
        return walked
    out = []
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    no_format = any(list(e.absolute_path)[:1] in (["year"], ["format"]) for e in errors)
    for e in errors:
        if list(e.absolute_path) == ["cells"] and e.validator in ("required", "additionalProperties"):
            if allow_missing and e.validator == "required" or no_format and e.validator == "required":
                continue  # missing cells allowed, or the cell set is unknown while the year/format is wrong
            if no_format:
                unknown = [k for k in e.instance if not any(get_format(f).has_cell(k) for f in FORMAT_IDS)]
                if unknown:
                    out.append(f"/cells: no format has the cell(s) {', '.join(repr(k[:60]) for k in unknown[:5])}")
                continue
        out.append(_message(e))
        if len(out) >= MAX_PROBLEMS:
            out.append(f"… (stopped after {MAX_PROBLEMS} problems)")
            break
    return out
