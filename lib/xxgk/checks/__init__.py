"""The consistency checker (勾稽关系): every rule of spec §4 with its ID, over one report or many."""

from xxgk.checks.base import ERROR, FAIL, NOT_ASSESSABLE, RULES, WARNING, Finding, summary
from xxgk.checks.engine import RULE_ORDER, Checked, check_paths, check_report

__all__ = [
    "ERROR",
    "FAIL",
    "NOT_ASSESSABLE",
    "RULES",
    "RULE_ORDER",
    "WARNING",
    "Checked",
    "Finding",
    "check_paths",
    "check_report",
    "summary",
]
