"""The published JSON Schema of the interchange document ``xxgk.report/1``, generated from the format data.

``report-1.schema.json`` in this package is the file other tools read; :func:`build_report_schema` derives it
from ``xxgk.formats`` and ``xxgk.validate`` (the one source of truth), and a test keeps the two identical.
Regenerate with ``python -m xxgk.schemas``.
"""

from __future__ import annotations

import functools
import json
import sys
from importlib import resources

from xxgk.formats import FORMAT_IDS, MONEY, SIGNED, get_format
from xxgk.model import AGENCY_LEVELS, NA, SECTION_IDS
from xxgk.validate import (
    MAX_COLUMNS,
    MAX_COUNT,
    MAX_EXTENSIONS,
    MAX_INDENT,
    MAX_LABEL,
    MAX_MONEY,
    MAX_NAME,
    MAX_ROWS,
    MAX_SHORT,
    MAX_TEXT,
    SLUG,
    YEAR_MAX,
    YEAR_MIN,
)

SCHEMA_ID = "xxgk.report/1"
SCHEMA_FILE = "report-1.schema.json"
_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}


def _text(max_len: int, title: str | None = None, nullable: bool = False) -> dict:
    out = {"type": ["string", "null"] if nullable else "string", "maxLength": max_len}
    return {"title": title, **out} if title else out


def _cell(spec) -> dict:
    """One cell: a bounded number of the column's type, or null for blank (never silently 0)."""
    if spec.column.type == MONEY:
        number = {"type": "number", "minimum": 0, "maximum": MAX_MONEY}
    elif spec.column.type == SIGNED:
        number = {"type": "integer", "minimum": -MAX_COUNT, "maximum": MAX_COUNT}
    else:
        number = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
    return {"title": spec.label, "anyOf": [number, {"type": "null"}]}


def _cells(format_id: str) -> dict:
    fmt = get_format(format_id)
    return {
        "type": "object",
        "title": f"cells of format {format_id} ({fmt.document})",
        "properties": {spec.id: _cell(spec) for spec in fmt.cells},
        "required": fmt.cell_ids(),
        "additionalProperties": False,
    }


def build_report_schema() -> dict:
    """The JSON Schema (draft 2020-12) of ``xxgk.report/1``, from the formats and the declared bounds."""
    ext_row = {
        "type": "object",
        "required": ["label"],
        "additionalProperties": False,
        "properties": {
            "label": _text(MAX_LABEL, "row label"),
            "indent": {"type": "integer", "minimum": 0, "maximum": MAX_INDENT},
            "values": {"type": "array", "maxItems": MAX_COLUMNS, "items": {"anyOf": [
                {"type": "integer", "minimum": -MAX_COUNT, "maximum": MAX_COUNT}, _text(MAX_LABEL), {"type": "null"}]}},
        },
    }  # fmt: skip
    extension = {
        "type": "object",
        "required": ["title", "columns", "rows"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": SLUG.pattern},
            "title": _text(MAX_LABEL, "extension table title"),
            "after": {"enum": list(SECTION_IDS)},
            "numbered": {"type": "boolean"},
            "columns": {"type": "array", "minItems": 1, "maxItems": MAX_COLUMNS, "items": _text(MAX_LABEL, "column header")},
            "rows": {"type": "array", "maxItems": MAX_ROWS, "items": ext_row},
        },
    }
    first_format = {"anyOf": [
        {"required": ["format"], "properties": {"format": {"const": FORMAT_IDS[0]}}},
        {"not": {"required": ["format"]}, "properties": {"year": {"maximum": get_format(FORMAT_IDS[0]).last_year}}},
    ]}  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:{SCHEMA_ID}",
        "title": f"{SCHEMA_ID}: one 政府信息公开工作年度报告 as data",
        "description": "Every cell of the format by id (null = blank, not 0). Generated from xxgk.formats.",
        "type": "object",
        "required": ["schema", "agency", "year", "cells"],
        "additionalProperties": False,
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "agency": {
                "type": "object",
                "required": ["id", "name"],
                "additionalProperties": False,
                "properties": {
                    "id": {"title": "机关标识", "type": "string", "pattern": SLUG.pattern},
                    "name": {"title": "机关名称", "type": "string", "minLength": 1, "maxLength": MAX_NAME},
                    "level": {"title": "机关层级", "type": ["string", "null"], "maxLength": MAX_LABEL,
                              "examples": list(AGENCY_LEVELS),
                              "description": "other names are kept as given (rule P1 then cannot assess the deadline)"},
                    "parent": _text(MAX_NAME, "上级机关", nullable=True),
                },
            },  # fmt: skip
            "year": {"title": "报告年度", "type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
            "format": {"title": "格式", "enum": list(FORMAT_IDS)},
            "title": _text(MAX_LABEL + MAX_NAME, "报告标题"),
            "published": {"title": "发布日期", **_DATE},
            "contact": _text(MAX_SHORT, "联系方式", nullable=True),
            "cells": {"type": "object"},
            "sections": {
                "type": "object",
                "additionalProperties": False,
                "properties": {k: _text(MAX_TEXT, k, nullable=True) for k in ("preamble", *SECTION_IDS)},
            },
            "section_titles": {
                "type": "object",
                "additionalProperties": False,
                "properties": {k: _text(MAX_LABEL, f"{k} title") for k in SECTION_IDS},
            },
            "cell_text": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"raw": _text(MAX_LABEL, nullable=True), "note": _text(MAX_LABEL, nullable=True),
                                   "state": {"enum": [NA]}},
                },
            },  # fmt: skip
            "signature": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {"agency": _text(MAX_NAME, "落款机关", nullable=True), "date": {"title": "落款日期", **_DATE}},
            },
            "extensions": {"type": "array", "maxItems": MAX_EXTENSIONS, "items": extension},
            "provenance": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "source": _text(MAX_SHORT, nullable=True),
                        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                        "uncertain": {"type": "boolean"},
                        "reason": _text(MAX_SHORT, nullable=True),
                    },
                },
            },
        },
        "if": first_format,
        "then": {"properties": {"cells": _cells(FORMAT_IDS[0])}},
        "else": {"properties": {"cells": _cells(FORMAT_IDS[1])}},
    }


def schema_text(schema: dict) -> str:
    """The schema as the published file's text."""
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


@functools.cache
def report_schema() -> dict:
    """The published schema file of ``xxgk.report/1``."""
    return json.loads(resources.files("xxgk.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def main(args) -> int:
    """``xxgk schema``: print the published JSON Schema of ``xxgk.report/1``."""
    sys.stdout.write(schema_text(report_schema()))
    return 0


def form_extension_schema() -> dict:
    """The JSON Schema of one extension table's spec in the Excel form's hidden metadata sheet."""
    ext = report_schema()["properties"]["extensions"]["items"]["properties"]
    rows = {"type": "array", "maxItems": MAX_ROWS}
    return {
        "type": "object",
        "required": ["id", "title", "after", "numbered", "columns", "labels", "indents"],
        "additionalProperties": False,
        "properties": {
            **{k: ext[k] for k in ("id", "title", "after", "numbered", "columns")},
            "labels": {**rows, "items": ext["rows"]["items"]["properties"]["label"]},
            "indents": {**rows, "items": ext["rows"]["items"]["properties"]["indent"]},
        },
    }
