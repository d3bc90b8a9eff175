"""PDF from the report HTML, printed by a real headless Chromium driven by Playwright (system browser).

``ChromiumPrinter`` keeps one browser for many documents; all Playwright calls run on one thread it owns,
so it may be used from any thread, even inside a running asyncio loop (a Jupyter kernel).
``ChromiumPDFExporter`` makes ``jupyter nbconvert --to xxgk-pdf report.ipynb`` work with the same printer.
"""

from __future__ import annotations

import atexit
import html
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nbconvert.exporters import Exporter
from traitlets import default

from xxgk.errors import UserError
from xxgk.params_write import write_text_atomic
from xxgk.render.html import ReportHTMLExporter, template_file

BROWSER_ENV = "XXGK_CHROMIUM"
CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/lib/chromium-browser/chromium-browser",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
INSTALL_HINT = (
    "no Chromium or Chrome found; install one (Debian/Ubuntu: `sudo apt-get install chromium`) "
    f"or set {BROWSER_ENV} to the browser executable"
)


def find_chromium() -> str:
    """The browser executable: $XXGK_CHROMIUM, else the first known Chromium/Chrome/Edge path or PATH entry."""
    env = os.environ.get(BROWSER_ENV)
    if env:
        if not Path(env).is_file():
            raise UserError(f"{BROWSER_ENV}={env} is not a file; point it at a Chromium or Chrome executable")
        return env
    for cand in CANDIDATES:
        if Path(cand).is_file():
            return cand
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge"):
        found = shutil.which(name)
        if found:
            return found
    raise UserError(INSTALL_HINT)


def _only_local(route) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


class ChromiumPrinter:
    """One long-lived headless browser printing HTML files to A4 PDF (context manager)."""

    def __init__(self, executable: str | None = None, timeout: float = 60.0) -> None:
        self.executable = executable or find_chromium()
        self.timeout_ms = timeout * 1000
        self._pool: ThreadPoolExecutor | None = None
        self._pw = self._browser = self._context = None

    def __enter__(self) -> ChromiumPrinter:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, fn, *args):
        if self._pool is None:
            self.start()
        return self._pool.submit(fn, *args).result()

    def start(self) -> None:
        """Launch the browser (idempotent)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="xxgk-chromium")
        self._pool.submit(self._launch).result()

    def _launch(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            return
        from playwright.sync_api import Error, sync_playwright

        if self._pw is None:
            self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=self.executable, args=list(BROWSER_ARGS), headless=True, timeout=self.timeout_ms
            )
        except Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UserError(f"cannot start the browser {self.executable}: {first}") from None
        self._context = self._browser.new_context(java_script_enabled=False, offline=False)
        self._context.route("**/*", _only_local)

    def print_pdf(self, html_path: str | Path, pdf_path: str | Path, header_text: str = "") -> Path:
        """Print an HTML file to an A4 PDF with a running header and 「第 N 页 / 共 M 页」 footers."""
        data = self._call(self._print, Path(html_path).resolve().as_uri(), header_text)
        return write_text_atomic(pdf_path, data)

    def _print(self, url: str, header_text: str) -> bytes:
        self._launch()
        page = self._context.new_page()
        try:
            page.goto(url, wait_until="load", timeout=self.timeout_ms)
            return page.pdf(
                format="A4",
                prefer_css_page_size=True,
                print_background=True,
                display_header_footer=True,
                header_template=template_file("print_header.html").replace("{header}", html.escape(header_text)),
                footer_template=template_file("print_footer.html"),
                margin={"top": "30mm", "bottom": "28mm", "left": "28mm", "right": "26mm"},
            )
        finally:
            page.close()

    def close(self) -> None:
        """Close the browser and its thread."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            pool.submit(self._shutdown).result()
        except RuntimeError:
            pass  # interpreter exit already stopped the thread; the driver takes the browser down with it
        pool.shutdown()

    def _shutdown(self) -> None:
        for obj, meth in ((self._context, "close"), (self._browser, "close"), (self._pw, "stop")):
            if obj is not None:
                try:
                    getattr(obj, meth)()
                except Exception:  # noqa: BLE001 - best effort while closing
                    pass
        self._pw = self._browser = self._context = None


_shared: ChromiumPrinter | None = None


def shared_printer() -> ChromiumPrinter:
    """A process-wide printer, started on first use and closed at exit."""
    global _shared
    if _shared is None:
        _shared = ChromiumPrinter()
        _shared.start()
        atexit.register(_shared.close)
    return _shared


class ChromiumPDFExporter(Exporter):
    """nbconvert exporter: the report HTML printed to PDF by headless Chromium (``--to xxgk-pdf``)."""

    export_from_notebook = "xxgk report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert a notebook to PDF bytes through the report HTML."""
        html_exporter = ReportHTMLExporter(parent=self)
        body, resources = html_exporter.from_notebook_node(nb, resources, **kw)
        meta = resources.get("xxgk", {})
        with tempfile.TemporaryDirectory(prefix="xxgk-pdf-") as tmp:
            src, dst = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
            src.write_text(body, encoding="utf-8")
            shared_printer().print_pdf(src, dst, meta.get("header") or meta.get("title", ""))
            data = dst.read_bytes()
        resources["output_extension"] = ".pdf"
        return data, resources
