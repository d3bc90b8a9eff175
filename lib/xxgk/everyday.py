"""Everyday commands: ``xxgk list`` (the reports and their state), ``xxgk open`` (JupyterLab on a scratch
copy of the template) and ``xxgk completion`` (bash/zsh completion scripts)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import _, ngettext
from xxgk.params_write import write_text_atomic


def list_reports(params_dir, out_dir=None) -> list[dict]:
    """Every params file below ``params_dir``: year, agency, name, checker state and whether it is built."""
    from xxgk.checks import check_report
    from xxgk.checks.status import STATE_LABELS, report_state
    from xxgk.params import ParamsError, discover, load_params
    from xxgk.render.source import resolve_params_dir

    root = resolve_params_dir(params_dir)
    found = discover(root)
    loaded = {}
    for year, agency, path in found:
        try:
            loaded[(year, agency)] = load_params(path)
        except ParamsError as exc:
            loaded[(year, agency)] = exc
    rows = []
    for year, agency, path in found:
        report = loaded[(year, agency)]
        row = {"year": year, "agency": agency, "path": str(path)}
        if isinstance(report, Exception):
            row.update(name="", state="unreadable", label="无法读取", problem=str(report))
        else:
            prev = loaded.get((year - 1, agency))
            prev = prev if prev is not None and not isinstance(prev, Exception) else None
            state = report_state(check_report(report, prev), report)
            row.update(name=report.agency.name or "", state=state, label=STATE_LABELS[state])
        if out_dir is not None:
            row["built"] = (Path(out_dir) / str(year) / agency / "report.html").is_file()
        rows.append(row)
    return rows


def list_main(args) -> int:
    """``xxgk list``: one line per report; ``--json`` for machines."""
    rows = list_reports(args.params, args.out)
    if args.json:
        print(json.dumps({"reports": rows}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("xxgk list: no params files in {params}").format(params=args.params))
        return 0
    width = max(len(r["agency"]) for r in rows)
    for r in rows:
        built = _("built") if r.get("built") else _("not built")
        extra = f"  {r['problem']}" if "problem" in r else ""
        print(f"{r['year']}  {r['agency']:<{width}}  {r['label']}({r['state']})  {built}  {r['name']}{extra}")
    print(ngettext("{n} report", "{n} reports", len(rows)).format(n=len(rows)))
    return 0


# ------------------------------------------------------------------ open


def scratch_notebook(template: Path, agency: str, year: int, params_dir: Path, directory: Path,
                     fresh: bool = False) -> Path:  # fmt: skip
    """A copy of the template with ``agency``, ``year`` and ``params_dir`` injected (not executed).

    An existing copy is kept (it may hold the user's edits) unless ``fresh``.
    """
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    target = Path(directory) / f"{year}-{agency}.ipynb"
    if target.is_file() and not fresh:
        return target
    nb = load_notebook_node(str(template))
    nb = parameterize_notebook(nb, {"agency": agency, "year": year, "params_dir": str(params_dir)})
    meta = nb.metadata.setdefault("xxgk", {})
    meta["template"] = False  # a scratch copy keeps what the user saves, outputs included
    meta["scratch_of"] = str(template)
    nb.metadata.pop("papermill", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(target, nbformat.writes(nb))


def lab_command(notebook: Path, no_browser: bool = False) -> list[str]:
    """The JupyterLab command line for a notebook; ``--allow-root`` when running as root."""
    cmd = [sys.executable, "-m", "jupyterlab", str(notebook)]
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def open_main(args) -> int:
    """``xxgk open AGENCY YEAR``: JupyterLab on a scratch copy of the template with the report's parameters."""
    from xxgk.batch.runner import DEFAULT_NOTEBOOK, resolve_notebook
    from xxgk.render.source import locate_params, resolve_params_dir

    root = resolve_params_dir(args.params)
    locate_params(root, args.agency, args.year)  # UserError with a did-you-mean when unknown
    template = resolve_notebook(args.notebook or DEFAULT_NOTEBOOK)
    scratch = scratch_notebook(template, args.agency, args.year, root, Path(args.out).resolve() / "scratch", args.fresh)
    cmd = lab_command(scratch, args.no_browser)
    print(_("xxgk open: {scratch} (a copy of {template}; the template stays unchanged)").format(scratch=scratch, template=template))
    if args.dry_run:
        print(shlex.join(cmd))
        return 0
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 130


# ------------------------------------------------------------------ completion


def completion_main(args, parser) -> int:
    """``xxgk completion bash|zsh``: print the completion script (shtab, from the argparse parser)."""
    try:
        import shtab
    except ImportError:
        raise UserError(_("shell completion needs the shtab package: pip install shtab")) from None
    print(shtab.complete(parser, shell=args.shell))
    return 0
