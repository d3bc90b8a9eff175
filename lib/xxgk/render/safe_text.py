"""A copy of a report whose every text is safe for Office XML writers (no control, zero-width or bidi chars)."""

from __future__ import annotations

import copy
import dataclasses

from xxgk.model import Report
from xxgk.validate import xml_safe


def _clean(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            setattr(value, f.name, _clean(getattr(value, f.name)))
    return value


def clean_report(report: Report) -> Report:
    """A deep copy of the report with every string passed through ``xml_safe`` (the original is untouched)."""
    return _clean(copy.deepcopy(report))
