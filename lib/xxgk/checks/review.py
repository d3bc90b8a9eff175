"""Reviewed findings: a ``review:`` entry of a params file turns a failed finding into 已说明 (explained) while
every cell value it was judged on still holds; when any of them changes the review lapses by itself."""

from __future__ import annotations

import dataclasses
import datetime as dt

from xxgk.checks.base import EXPLAINED, FAIL, Finding
from xxgk.model import Report, Review

EXPLAINED_LABEL = "已说明"


def judged_values(report: Report, cells) -> dict:
    """The current values of a finding's cells, as a review stores them (None for blank or n/a)."""
    return {cid: report.value(cid) for cid in cells if report.fmt.has_cell(cid)}


def matches(review: Review, finding: Finding, report: Report) -> bool:
    """Whether a review covers a failed finding: same rule, same cells, every value unchanged.

    A finding without cells (a narrative rule) is matched by its message, which quotes the text judged on: when
    the text changes the review lapses, and a review never covers another finding of the same rule.
    """
    if review.rule != finding.rule or set(review.cells) != set(finding.cells):
        return False
    if not finding.cells and review.finding != finding.message:
        return False
    return all(report.fmt.has_cell(c) and report.value(c) == v for c, v in review.cells.items())


def apply_reviews(report: Report, findings: list[Finding]) -> list[Finding]:
    """The findings with every failed one that a still-valid review covers marked explained, with its reason."""
    if not report.reviews:
        return findings
    out = []
    for f in findings:
        rv = next((r for r in report.reviews if f.status == FAIL and matches(r, f, report)), None)
        out.append(dataclasses.replace(f, status=EXPLAINED, reason=rv.reason) if rv else f)
    return out


def new_review(report: Report, finding: Finding, reason: str, by: str | None, when: dt.datetime) -> Review:
    """A review of a finding, judged on the current values of its cells."""
    return Review(finding.rule, judged_values(report, finding.cells), reason, by, when,
                  None if finding.cells else finding.message)
