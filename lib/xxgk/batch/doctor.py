"""``xxgk doctor``: check the Python packages, the Jupyter kernel, the CJK font and the browser; say how to fix.

Exit status 1 when something essential for building reports is missing, else 0.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

from xxgk.i18n import N_, _, ljust, ngettext

#: (import name, distribution name, essential)
PACKAGES = (
    ("yaml", "pyyaml", True),
    ("papermill", "papermill", True),
    ("nbconvert", "nbconvert", True),
    ("nbformat", "nbformat", True),
    ("nbclient", "nbclient", True),
    ("ipykernel", "ipykernel", True),
    ("jupyter_client", "jupyter_client", True),
    ("matplotlib", "matplotlib", True),
    ("markdown_it", "markdown-it-py", True),
    ("nh3", "nh3", True),
    ("uharfbuzz", "uharfbuzz", False),
    ("jupyterlab", "jupyterlab", False),
    ("pandas", "pandas", False),
    ("openpyxl", "openpyxl", False),
    ("docx", "python-docx", False),
    ("pdfplumber", "pdfplumber", False),
    ("rapidocr_onnxruntime", "rapidocr-onnxruntime", False),
)
PIP_HINT = N_("install the project into the venv: .venv/bin/pip install -e .")
#: optional extras and what they are for, named in the fix line
EXTRA_HINT = {"rapidocr-onnxruntime": N_("needed for OCR of scanned PDFs and images: pip install 'xxgk[ocr]' "
                                         "(in a checkout: .venv/bin/pip install -e '.[ocr]')")}
TINY_HTML = '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><body><p>政府信息公开工作年度报告 doctor</p></body></html>'


class _Report:
    def __init__(self) -> None:
        self.missing_essential = 0

    def line(self, ok: bool, what: str, detail: str = "", fix: str = "", essential: bool = True) -> None:
        mark = _("ok") if ok else (_("MISSING") if essential else _("missing"))
        print(ljust(mark, 7) + " " + (_("{what}: {detail}").format(what=what, detail=detail) if detail else what))
        if not ok:
            print("        " + _("fix: {fix}").format(fix=fix))
            self.missing_essential += essential


def _packages(rep: _Report) -> None:
    for module, dist, essential in PACKAGES:
        if importlib.util.find_spec(module) is None:
            rep.line(False, _("python package {name}").format(name=dist), _("not installed"),
                     _(EXTRA_HINT.get(dist, PIP_HINT)), essential)  # fmt: skip
            continue
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "?"
        rep.line(True, _("python package {name}").format(name=dist),
                 version + (_(" (OCR available)") if dist in EXTRA_HINT else ""))  # fmt: skip


def _kernel(rep: _Report) -> None:
    fix = f"{sys.executable} -m ipykernel install --sys-prefix --name python3"
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        spec = KernelSpecManager().get_kernel_spec("python3")
        rep.line(True, _("jupyter kernel python3"), " ".join(spec.argv[:3]))
    except (ImportError, NoSuchKernel) as exc:
        rep.line(False, _("jupyter kernel python3"), str(exc) or _("not found"), fix)


def _template(rep: _Report) -> None:
    from xxgk.batch.runner import DEFAULT_NOTEBOOK, resolve_notebook, template_parameters
    from xxgk.errors import UserError

    try:
        path = resolve_notebook(DEFAULT_NOTEBOOK)
        names = ", ".join(template_parameters(path))
        rep.line(True, _("report template"), _("{name} (parameters: {names})").format(name=path.name, names=names))
    except UserError as exc:
        rep.line(False, _("report template"), str(exc), _("restore notebooks/report.ipynb from the repository"))


def _font(rep: _Report) -> None:
    from xxgk.errors import UserError
    from xxgk.render.fonts import INSTALL_HINT

    try:
        from xxgk.render.charts import bar_chart

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            bar_chart(["自然人", "法人或其他组织"], [3, 1], "申请人类型（字体测试）")
        from xxgk.render.fonts import setup_fonts

        rep.line(True, _("CJK font for charts"), setup_fonts())
    except UserError as exc:
        rep.line(False, _("CJK font for charts"), _("none found"), str(exc))
    except (UserWarning, RuntimeWarning) as exc:
        rep.line(False, _("CJK font for charts"), _("glyphs missing ({error})").format(error=exc), _(INSTALL_HINT))
    except ImportError as exc:
        rep.line(False, _("CJK font for charts"), _("matplotlib unavailable ({error})").format(error=exc), _(PIP_HINT))


def _browser(rep: _Report) -> None:
    from xxgk.errors import UserError

    fix = _("sudo apt-get install chromium (Debian/Ubuntu), or set XXGK_CHROMIUM to a Chrome/Chromium/Edge "
            "executable")
    try:
        from xxgk.render.pdf import ChromiumPrinter

        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="xxgk-doctor-") as tmp, ChromiumPrinter() as printer:
            src = Path(tmp) / "t.html"
            src.write_text(TINY_HTML, encoding="utf-8")
            pdf = printer.print_pdf(src, Path(tmp) / "t.pdf")
            ok = pdf.read_bytes()[:5] == b"%PDF-"
            rep.line(ok, _("browser for PDF"), _("{browser} printed a test page in {seconds} s").format(
                browser=printer.executable, seconds=f"{time.perf_counter() - t0:.1f}"), fix)
    except UserError as exc:
        rep.line(False, _("browser for PDF"), str(exc), fix)
    except Exception as exc:  # noqa: BLE001 - any browser failure is reported, not raised
        rep.line(False, _("browser for PDF"), f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                 fix)  # fmt: skip


def _print_fonts(rep: _Report) -> None:
    """The report's CJK families, which the PDF embeds as named TrueType subsets (fontconfig and uharfbuzz)."""
    import subprocess

    from xxgk.render.print_fonts import PrintFonts

    try:
        families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        families = ""
    found = [f for f in ("FangSong", "SimHei", "Noto Serif CJK SC", "Noto Sans CJK SC") if f in families]
    usable = bool(found) and PrintFonts(".").available
    detail = ", ".join(found) or _("none of the report's families")
    rep.line(usable, _("CJK fonts embedded in the PDF"),
             detail if usable else _("{detail}; PDF text may use Type 3 fonts").format(detail=detail),
             "sudo apt-get install fonts-noto-cjk fontconfig; pip install uharfbuzz", essential=False)  # fmt: skip


def _libreoffice(rep: _Report) -> None:
    """LibreOffice reads .doc, .wps, .rtf, .odt, .xls and .et reports (optional)."""
    from xxgk.ingest.convert import INSTALL_HINT, soffice

    exe = soffice()
    rep.line(exe is not None, _("LibreOffice for ingesting .doc .wps .rtf .odt .xls .et"), exe or _("not found"),
             _(INSTALL_HINT), essential=False)  # fmt: skip


def main(args=None) -> int:
    """Run every check, print what is missing and how to install it; 1 if anything essential is missing."""
    rep = _Report()
    print(_("xxgk doctor — Python {version} at {path}").format(version=sys.version.split()[0], path=sys.executable))
    _packages(rep)
    _kernel(rep)
    _template(rep)
    _font(rep)
    _browser(rep)
    _print_fonts(rep)
    _libreoffice(rep)
    rep.line(shutil.which("pdftotext") is not None, _("poppler-utils (pdftotext, pdffonts; tests only)"), "",
             "sudo apt-get install poppler-utils", essential=False)  # fmt: skip
    if rep.missing_essential:
        print(ngettext("{n} essential item missing; reports cannot be built until it is fixed.",
                       "{n} essential items missing; reports cannot be built until they are fixed.",
                       rep.missing_essential).format(n=rep.missing_essential))
        return 1
    print(_("everything needed to build reports is in place."))
    return 0
