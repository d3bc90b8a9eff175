"""Build one report: check the params and the template, run the notebook with Papermill, export HTML and PDF.

Outputs go to ``<out_dir>/<year>/<agency>/``, each written under a temporary name and renamed into place:
report.ipynb (the executed notebook), the publication report.html, report.pdf, report.docx (exactly the official
report) and the analyst files analysis.html, analysis.pdf (the notebook's appendix: findings, charts, trends).
"""

from __future__ import annotations

import ast
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.params import load_params
from xxgk.params_write import write_text_atomic
from xxgk.render.source import locate_params, resolve_params_dir

FORMATS = ("html", "pdf", "docx")
PARAMETERS_TAG = "parameters"
DEFAULT_NOTEBOOK = "notebooks/report.ipynb"
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]  # no SQLite history per report
_exporters: dict = {}


class BuildError(UserError):
    """A report that could not be built (a failing notebook cell, a time-out, a template problem)."""


@dataclass
class BuildResult:
    """What one build produced: output paths, seconds per stage and the checker summary."""

    agency: str
    year: int
    paths: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    status: dict = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        """Seconds spent over all stages."""
        return sum(self.seconds.values())


# ------------------------------------------------------------------ template and parameters


def _register_readable_translator() -> None:
    """Make Papermill write Chinese parameter strings as they are, not as \\u escapes."""
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadablePythonTranslator(PythonTranslator):
        @classmethod
        def translate_str(cls, val):
            return json.dumps(val, ensure_ascii=False)

    papermill_translators.register("python", ReadablePythonTranslator)


def template_parameters(notebook: str | Path) -> dict[str, object]:
    """The parameters a template declares (name → default) in its one cell tagged ``parameters``."""
    import nbformat

    path = Path(notebook)
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:
        raise BuildError(_("cannot read the template notebook {path}: {exc}").format(path=path, exc=exc)) from None
    cells = [c for c in nb.cells if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        what = "no cell" if not cells else f"{len(cells)} cells"
        raise BuildError(_("template {path} has {what} tagged {parameters_tag!r}; it needs exactly one (Papermill would otherwise run it with its defaults)").format(path=path, what=what, parameters_tag=PARAMETERS_TAG))  # fmt: skip
    if cells[0].cell_type != "code":
        raise BuildError(_("template {path}: the cell tagged {parameters_tag!r} is not a code cell").format(path=path, parameters_tag=PARAMETERS_TAG))
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise BuildError(_("template {path}: the parameters cell is not valid Python: {msg}").format(path=path, msg=exc.msg)) from None
    declared: dict[str, object] = {}
    for node in tree.body:
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            else getattr(node, "target", None)
        )
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(target, ast.Name) and node.value is not None:
            try:
                declared[target.id] = ast.literal_eval(node.value)
            except ValueError:
                declared[target.id] = None  # declared, type unknown
    return declared


def _type_ok(value, default) -> bool:
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def validate_parameters(notebook: str | Path, parameters: dict) -> dict[str, object]:
    """Refuse parameters the template does not declare or whose type differs from the default's."""
    declared = template_parameters(notebook)
    unknown = [k for k in parameters if k not in declared]
    if unknown:
        raise BuildError(_("template {notebook} does not declare the parameter(s) {unknown}; it declares: {declared}").format(notebook=notebook, unknown=', '.join(unknown), declared=', '.join(declared) or 'none'))  # fmt: skip
    for name, value in parameters.items():
        if not _type_ok(value, declared[name]):
            raise BuildError(_("parameter {name}={value!r}: expected {type} like the template's default {declared!r}").format(name=name, value=value, type=type(declared[name]).__name__, declared=declared[name]))  # fmt: skip
    return declared


def resolve_notebook(notebook: str | Path) -> Path:
    """The template path: as given, else the packaged template of that name (``notebooks/report.ipynb``)."""
    from xxgk.workspace import packaged_notebook

    p = Path(notebook)
    if p.is_file():
        return p.resolve()
    if not p.is_absolute() and p.parent == Path("notebooks"):
        alt = packaged_notebook(p.name)
        if alt.is_file():
            return alt.resolve()
    raise BuildError(_("template notebook {notebook} not found").format(notebook=notebook))


# ------------------------------------------------------------------ stages


def html_exporter(part: str = "report"):
    """The process-wide HTML exporter of a part, ``report`` or ``analysis`` (templates loaded once)."""
    if part not in _exporters:
        from xxgk.render.html import ReportHTMLExporter

        _exporters[part] = ReportHTMLExporter(part=part)
    return _exporters[part]


def _execute(notebook: Path, out_path: Path, parameters: dict, timeout: float, kernel_manager):
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from xxgk.batch import engine

    _register_readable_translator()
    tmp = out_path.with_name(f".{out_path.stem}.{uuid.uuid4().hex[:12]}.tmp.ipynb")
    # a kernel of our own logs nothing (no ipykernel's "running over TCP without encryption" notice)
    kwargs = {"km": kernel_manager} if kernel_manager is not None else {"extra_arguments": KERNEL_ARGS}
    try:  # the xxgk engine snapshots cheaply while cells run and saves what ran on any failure (engine.py)
        nb = pm.execute_notebook(
            str(notebook), str(tmp), parameters=parameters, progress_bar=False, log_output=False,
            cwd=str(out_path.parent), kernel_name="python3", execution_timeout=timeout,
            engine_name=engine.register(), **kwargs,
        )  # fmt: skip
    except PapermillExecutionError as exc:
        failed = _keep_failed(tmp, out_path)
        raise BuildError(
            _("notebook failed in cell {exec_count}: {ename}: {evalue} (see {failed})").format(exec_count=exc.exec_count, ename=exc.ename, evalue=exc.evalue, failed=failed)
        ) from None
    except TimeoutError as exc:
        failed = _keep_failed(tmp, out_path)
        parts = str(exc).split("-------------------")
        cell = parts[1].strip().splitlines()[0] if len(parts) > 2 and parts[1].strip() else "?"
        raise BuildError(
            _("notebook timed out after {timeout:g} s in the cell starting {cell!r} (see {failed})").format(timeout=timeout, cell=cell, failed=failed)
        ) from None
    except (KeyboardInterrupt, SystemExit):
        tmp.unlink(missing_ok=True)
        raise
    except BaseException:  # a dead kernel and the like: keep what ran for the failure summary, re-raise as is
        _keep_failed(tmp, out_path)
        raise
    os.replace(tmp, out_path)
    out_path.with_name("report.failed.ipynb").unlink(missing_ok=True)  # from an earlier failed run
    return nb


def _keep_failed(tmp: Path, out_path: Path) -> Path:
    """Keep a failed run's notebook (errors and timings) next to the outputs as report.failed.ipynb."""
    failed = out_path.with_name("report.failed.ipynb")
    if tmp.exists():
        os.replace(tmp, failed)
    return failed


def _checks(report, params_dir: Path) -> tuple[dict, dict]:
    """The checker's counts and the report's status record (state, findings, gaps: ``checks.status``)."""
    from xxgk.checks import check_report, summary
    from xxgk.checks.status import status_record

    findings = check_report(report, params_dir=params_dir)
    return summary(findings), status_record(findings, report)


def build_one(agency: str, year: int, *, params_dir="params", out_dir="build", formats=("html", "pdf"),
              notebook=DEFAULT_NOTEBOOK, timeout=600, printer=None, kernel_manager=None,
              parameters: dict | None = None) -> BuildResult:  # fmt: skip
    """Build one report into ``<out_dir>/<year>/<agency>/``; return paths, stage seconds and the checker summary."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UserError(_("unknown output format(s) {bad}; choose from {formats}").format(bad=', '.join(bad), formats=', '.join(FORMATS)))
    root = resolve_params_dir(params_dir)
    report = load_params(locate_params(root, agency, year))
    nb_path = resolve_notebook(notebook)
    params = {"agency": agency, "year": year, "params_dir": str(root), **(parameters or {})}
    validate_parameters(nb_path, params)
    out = Path(out_dir).resolve() / str(year) / agency  # absolute: Papermill chdirs to it while executing
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(agency, year)

    t0 = time.perf_counter()
    nb = _execute(nb_path, out / "report.ipynb", params, timeout, kernel_manager)
    result.paths["notebook"] = out / "report.ipynb"
    result.seconds["execute"] = time.perf_counter() - t0

    from xxgk.render.preprocessors import has_part

    analysis = has_part(nb, "analysis")  # False when run with show_checks = False
    if not analysis:
        for name in ("analysis.html", "analysis.pdf"):  # an earlier build's would look current
            (out / name).unlink(missing_ok=True)
    if "html" in formats or "pdf" in formats:
        t0 = time.perf_counter()
        body = _export(nb, nb_path)
        result.paths["html"] = write_text_atomic(out / "report.html", body)
        if analysis:
            body, _resources = html_exporter("analysis").from_notebook_node(nb)
            result.paths["analysis_html"] = write_text_atomic(out / "analysis.html", body)
        result.seconds["html"] = time.perf_counter() - t0
    if "pdf" in formats:
        t0 = time.perf_counter()
        _print_pdf(printer, out / "report.html", out / "report.pdf")
        result.paths["pdf"] = out / "report.pdf"
        if analysis:
            _print_pdf(printer, out / "analysis.html", out / "analysis.pdf")
            result.paths["analysis_pdf"] = out / "analysis.pdf"
        result.seconds["pdf"] = time.perf_counter() - t0
    if "docx" in formats:
        t0 = time.perf_counter()
        from xxgk.render.docx import write_docx

        result.paths["docx"] = write_docx(report, out / "report.docx")  # atomic: temp file, then rename
        result.seconds["docx"] = time.perf_counter() - t0
    result.checks, result.status = _checks(report, root)
    return result


def _export(nb, template: Path) -> str:
    """The publication HTML of an executed notebook; BuildError when the template displayed no report."""
    from xxgk.render.preprocessors import NotReportError

    try:
        return html_exporter().from_notebook_node(nb)[0]
    except NotReportError:
        raise BuildError(_("template {template} ran but displayed no report: no output carries the report metadata (the template must call xn.show_head(report))").format(template=template)) from None  # fmt: skip


def _print_pdf(printer, html_path: Path, pdf_path: Path) -> None:
    if printer is not None:
        printer.print_pdf(html_path, pdf_path)
        return
    from xxgk.render.pdf import ChromiumPrinter

    with ChromiumPrinter() as own:
        own.print_pdf(html_path, pdf_path)
