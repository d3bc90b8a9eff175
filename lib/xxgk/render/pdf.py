"""PDF from the report HTML, printed by a real headless Chromium (the system browser) over its DevTools pipe.

``ChromiumPrinter`` keeps one browser and one tab for many documents; it blocks on plain pipe I/O, so it may
be used from any thread, even inside a running asyncio loop (a Jupyter kernel).
``ChromiumPDFExporter`` makes ``jupyter nbconvert --to xxgk-pdf report.ipynb`` work with the same printer.
"""

from __future__ import annotations

import atexit
import base64
import html
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from nbconvert.exporters import Exporter
from traitlets import Enum, default

from xxgk.errors import UserError
from xxgk.i18n import N_, _
from xxgk.params_write import write_text_atomic
from xxgk.render.cdp import CDPError, PipeBrowser, pipe_supported
from xxgk.render.html import ReportHTMLExporter
from xxgk.render.notebook import PARTS, REPORT
from xxgk.render.print_fonts import PrintFonts

BROWSER_ENV = "XXGK_CHROMIUM"
CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",  # Debian chromium-headless-shell: the lean print engine
    "/usr/bin/chromium-headless-shell",
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
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess",
)
INSTALL_HINT = N_("no Chromium or Chrome found; install one (Debian/Ubuntu: `sudo apt-get install chromium`) "
                  "or set {env} to the browser executable")


def find_chromium() -> str:
    """The browser executable: $XXGK_CHROMIUM, else the first known Chromium/Chrome/Edge path or PATH entry."""
    env = os.environ.get(BROWSER_ENV)
    if env:
        if not Path(env).is_file():
            raise UserError(_("{browser_env}={env} is not a file; point it at a Chromium or Chrome executable").format(browser_env=BROWSER_ENV, env=env))
        return env
    for cand in CANDIDATES:
        if Path(cand).is_file():
            return cand
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge"):
        found = shutil.which(name)
        if found:
            return found
    raise UserError(_(INSTALL_HINT).format(env=BROWSER_ENV))


PAPER = {"paperWidth": 210 / 25.4, "paperHeight": 297 / 25.4, "marginTop": 37 / 25.4, "marginBottom": 35 / 25.4,
         "marginLeft": 28 / 25.4, "marginRight": 26 / 25.4}  # A4 and the GB/T 9704 margins, for pages without @page
BLOCKED_URLS = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]  # a report prints from local files only


class ChromiumPrinter:
    """One long-lived headless browser printing HTML files to A4 PDF (context manager).

    The browser is driven over its DevTools pipe (``render/cdp.py``): no driver process, one tab reused for
    every document, scripts off, the network blocked. The page's running header and page numbers come from
    its own ``@page`` rules. The CJK fonts a page names are swapped for per-page TrueType subsets
    (``render/print_fonts.py``), so the PDF embeds them under their own names. Thread-safe; a browser that died is started again on the next document.
    """

    def __init__(self, executable: str | None = None, timeout: float = 60.0) -> None:
        self.executable = executable or find_chromium()
        self.timeout = timeout
        self._lock = threading.Lock()
        self._browser = None
        self._session: str | None = None
        self._tmp: str | None = None
        self._fonts = None
        self._count = 0

    def __enter__(self) -> ChromiumPrinter:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Launch the browser (idempotent)."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> None:
        if not pipe_supported():
            return  # Windows: one browser run per document (_print_once)
        if self._browser is not None and self._browser.alive:
            return
        self._discard()
        self._tmp = tempfile.mkdtemp(prefix="xxgk-chromium-")
        args = [*BROWSER_ARGS, f"--user-data-dir={Path(self._tmp) / 'profile'}"]
        try:
            self._browser = PipeBrowser(self.executable, args)
            targets = self._browser.call("Target.getTargets", timeout=self.timeout)["targetInfos"]
            page = next((t["targetId"] for t in targets if t.get("type") == "page"), None)
            if page is None:
                page = self._browser.call("Target.createTarget", {"url": "about:blank"}, timeout=self.timeout)["targetId"]
            s = self._session = self._browser.call("Target.attachToTarget", {"targetId": page, "flatten": True},
                                                   timeout=self.timeout)["sessionId"]  # fmt: skip
            for method, params in (("Page.enable", {}), ("Network.enable", {}), ("Network.setBlockedURLs", {"urls": BLOCKED_URLS}),
                                   ("Emulation.setScriptExecutionDisabled", {"value": True})):  # fmt: skip
                self._browser.call(method, params, session=s, timeout=self.timeout)
        except (OSError, CDPError) as exc:
            self._discard()
            raise UserError(_("cannot start the browser {executable}: {getattr}").format(executable=self.executable, getattr=getattr(exc, 'strerror', None) or exc)) from None
        self._fonts = PrintFonts(self._tmp)

    def print_pdf(self, html_path: str | Path, pdf_path: str | Path) -> Path:
        """Print an HTML file to a PDF (A4 unless its CSS says otherwise); written atomically to ``pdf_path``.

        The running header and page numbers are the page's own ``@page`` rules.
        """
        src = Path(html_path).resolve()
        if not src.is_file():
            raise UserError(_("cannot print {src}: no such file").format(src=src))
        with self._lock:
            if not pipe_supported():
                return write_text_atomic(pdf_path, _print_once(self.executable, src, self.timeout))
            for attempt in (1, 2):  # a browser that crashed is started again once
                self._ensure()
                try:
                    data = self._print(src)
                    break
                except CDPError:
                    if self._browser is not None and self._browser.alive or attempt == 2:
                        self._discard()
                        raise
                    self._discard()
        return write_text_atomic(pdf_path, data)

    def _print(self, src: Path) -> bytes:
        b, s = self._browser, self._session
        page = src.read_text(encoding="utf-8", errors="replace")
        self._count += 1
        extra = self._fonts.head_html(page, f"p{self._count}") if self._fonts is not None else ""
        target = src
        if extra:  # a copy with the font subsets (the original stays as it is); relative links still resolve
            base = f'<base href="{html.escape(src.parent.as_uri(), quote=True)}/">'
            target = Path(self._tmp) / f"p{self._count}.html"
            target.write_text(_inject_head(page, base + extra), encoding="utf-8")
        try:
            b.drop_events(s)
            nav = b.call("Page.navigate", {"url": target.as_uri()}, session=s, timeout=self.timeout)
            if nav.get("errorText"):
                raise UserError(_("cannot open {src}: {errortext}").format(src=src, errortext=nav['errorText']))
            b.wait_event("Page.loadEventFired", session=s, timeout=self.timeout)
            result = b.call("Page.printToPDF", {**PAPER, "preferCSSPageSize": True, "printBackground": True,
                                                "displayHeaderFooter": False, "generateDocumentOutline": True},
                            session=s, timeout=self.timeout)  # fmt: skip
        finally:
            if target != src:
                target.unlink(missing_ok=True)
            for f in Path(self._tmp).glob(f"p{self._count}-*.ttf"):
                f.unlink(missing_ok=True)
        return base64.b64decode(result["data"])

    def _discard(self) -> None:
        browser, self._browser, self._session, self._fonts = self._browser, None, None, None
        if browser is not None:
            browser.close()
        tmp, self._tmp = self._tmp, None
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    def close(self) -> None:
        """Close the browser and remove its profile."""
        with self._lock:
            self._discard()


def _print_once(executable: str, src: Path, timeout: float) -> bytes:
    """Print one file with a browser run of its own (``--print-to-pdf``), where the pipe is unavailable."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="xxgk-print-") as tmp:
        out = Path(tmp) / "out.pdf"
        cmd = [executable, "--headless", *BROWSER_ARGS, f"--user-data-dir={Path(tmp) / 'profile'}",
               "--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri()]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UserError(_("cannot print {src} with {executable}: {exc}").format(src=src, executable=executable, exc=exc)) from None
        if not out.is_file():
            raise UserError(_("cannot print {src} with {executable}: the browser wrote no PDF").format(src=src, executable=executable))
        return out.read_bytes()


def _inject_head(page: str, markup: str) -> str:
    """``markup`` placed at the start of the page's ``<head>`` (or of the page when it has none)."""
    m = re.search(r"<head(?:\s[^>]*)?>", page, re.I)
    return page[: m.end()] + markup + page[m.end() :] if m else markup + page


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
    """nbconvert exporter: the report HTML printed to PDF by headless Chromium (``--to xxgk-pdf``).

    The HTML comes from a ``ReportHTMLExporter`` that shares this exporter's config, so ``--execute`` and
    ``--ChromiumPDFExporter.part=analysis`` apply; a notebook without report outputs is refused, no file written.
    """

    export_from_notebook = "xxgk report (PDF)"
    output_mimetype = "application/pdf"
    part = Enum(PARTS, default_value=REPORT, help="Print the report (publication) or the analysis.").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert a notebook to PDF bytes through the report HTML."""
        html_exporter = ReportHTMLExporter(config=self.config, parent=self, part=self.part)  # Exporter ignores parent config
        body, resources = html_exporter.from_notebook_node(nb, resources, **kw)
        with tempfile.TemporaryDirectory(prefix="xxgk-pdf-") as tmp:
            src, dst = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
            src.write_text(body, encoding="utf-8")
            shared_printer().print_pdf(src, dst)
            data = dst.read_bytes()
        resources["output_extension"] = ".pdf"
        return data, resources
