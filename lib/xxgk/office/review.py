"""``xxgk review AGENCY YEAR RULE --reason …``: record that the failed findings of a rule were examined."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xxgk.checks import check_report
from xxgk.checks.base import FAIL
from xxgk.checks.review import new_review
from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.office.state import load_state
from xxgk.params import load_params, params_path
from xxgk.params_write import file_sha256, save_params


def add_review(params_dir: str | Path, agency: str, year: int, rule: str, reason: str, by: str | None = None,
               agencies: dict | None = None, now: dt.datetime | None = None) -> int:  # fmt: skip
    """Append a review for every failed finding of ``rule`` in the report; return how many were reviewed."""
    if not reason.strip():
        raise UserError(_("--reason: say why the finding is acceptable"))
    path = params_path(params_dir, year, agency)
    if not path.is_file():
        raise UserError(_("{path} does not exist (no report of {agency} for {year})").format(path=path, agency=agency, year=year))
    report = load_params(path, agencies)
    failed = [f for f in check_report(report, params_dir=params_dir) if f.rule == rule and f.status == FAIL]
    if not failed:
        raise UserError(_("{path}: rule {rule} has no failed finding to review (already explained, or it passes)").format(path=path, rule=rule))
    state = load_state(params_dir, year)
    collected = not state.hand_edited(agency, path) and agency in state.written
    now = now or dt.datetime.now().replace(microsecond=0)
    report.reviews.extend(new_review(report, f, reason.strip(), by, now) for f in failed)
    save_params(report, path)
    if collected:  # our own edit, not a hand edit: the next collect may still replace the file
        state.written[agency] = file_sha256(path)
        state.save()
    return len(failed)
