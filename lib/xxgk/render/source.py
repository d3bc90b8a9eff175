"""Finding a report's params file: the params directory (searched upward), the agency and the year.

Unknown agencies and years are refused with a message that lists what exists.
"""

from __future__ import annotations

from pathlib import Path

from xxgk.errors import UserError, did_you_mean
from xxgk.i18n import _
from xxgk.params import discover, params_path


def resolve_params_dir(params_dir: str | Path, start: str | Path | None = None) -> Path:
    """The params directory: as given if it exists, else the same relative path in the nearest parent."""
    p = Path(params_dir)
    if p.is_dir():
        return p.resolve()
    if not p.is_absolute():
        here = Path(start or Path.cwd()).resolve()
        for parent in (here, *here.parents):
            if (parent / p).is_dir():
                return parent / p
    raise UserError(_("params directory {params_dir!r} not found (looked in {path} and its parents)").format(params_dir=str(params_dir), path=Path(start or Path.cwd())))


def locate_params(params_dir: str | Path, agency: str, year: int) -> Path:
    """The params file of an agency and year; UserError listing the agencies and years that exist."""
    if not isinstance(agency, str) or not agency:
        raise UserError(_("agency must be an agency id (a text such as 'yuyao-commerce'), got {agency!r}").format(agency=agency))
    if not isinstance(year, int) or isinstance(year, bool):
        raise UserError(_("year must be a whole number such as 2020, got {year!r}").format(year=year))
    root = resolve_params_dir(params_dir)
    path = params_path(root, year, agency)
    if path.is_file():
        return path
    found = discover(root)
    years = sorted({y for y, _, _ in found})
    if year not in years:
        listed = ", ".join(map(str, years)) or "none"
        raise UserError(_("no params for year {year} in {params_dir}; years with params: {listed}").format(year=year, params_dir=params_dir, listed=listed))
    agencies = sorted(a for y, a, _ in found if y == year)
    elsewhere = sorted({y for y, a, _ in found if a == agency})
    hint = f" ({agency} has params for {', '.join(map(str, elsewhere))})" if elsewhere else ""
    close = did_you_mean(agency, agencies) if not elsewhere else ""
    raise UserError(_("unknown agency {agency!r} for {year}{hint}; agencies with params for {year}: {agencies}{close}").format(agency=agency, year=year, hint=hint, agencies=', '.join(agencies), close=close))
