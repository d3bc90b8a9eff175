"""Findings and the rule registry: every rule has an ID, a severity and a function over a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"
FAIL, NOT_ASSESSABLE, PASS = "fail", "not_assessable", "pass"
#: a failed finding an analyst examined (a ``review:`` entry whose cell values still hold): 已说明, not failing
EXPLAINED = "explained"


@dataclass(frozen=True)
class Finding:
    """One result of one rule: rule ID, severity, status, a Chinese message and the cells involved."""

    rule: str
    severity: str
    status: str
    message: str
    cells: tuple[str, ...] = ()
    reason: str | None = None  # the analyst's reason, for an explained finding

    def to_dict(self) -> dict:
        """The JSON form used by ``xxgk check --json``."""
        d = {"rule": self.rule, "severity": self.severity, "status": self.status,
             "message": self.message, "cells": list(self.cells)}  # fmt: skip
        if self.reason is not None:
            d["reason"] = self.reason
        return d

    @property
    def is_error(self) -> bool:
        """True for a failed rule of error severity (what makes ``xxgk check`` exit 1)."""
        return self.status == FAIL and self.severity == ERROR


@dataclass(frozen=True)
class Rule:
    """A registered rule: ID, default severity, what it checks, and the function that checks it."""

    id: str
    severity: str
    title: str
    func: Callable = field(repr=False)
    cross_year: bool = False


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str, cross_year: bool = False):
    """Register a rule function ``f(ctx) -> Iterable[Finding]`` under an ID."""

    def deco(func):
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, title, func, cross_year)
        return func

    return deco


def summary(findings: Iterable[Finding]) -> dict:
    """Counts of failed errors, failed warnings and not-assessable findings."""
    fs = list(findings)
    return {
        "errors": sum(1 for f in fs if f.status == FAIL and f.severity == ERROR),
        "warnings": sum(1 for f in fs if f.status == FAIL and f.severity == WARNING),
        "not_assessable": sum(1 for f in fs if f.status == NOT_ASSESSABLE),
    }
