"""The DevTools pipe client and the printer's life cycle: restart after a crash, no orphaned browsers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from xxgk.render.cdp import CDPError, PipeBrowser, pipe_supported

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not pipe_supported(), reason="POSIX only")]

PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>年度报告</p></body></html>'


def _gone(pid: int, wait: float = 5.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # our own child: reap it
            if os.waitpid(pid, os.WNOHANG)[0]:
                return True
        except ChildProcessError:
            pass
        time.sleep(0.05)
    return False


def test_pipe_browser_commands_errors_and_close():
    from xxgk.render.pdf import BROWSER_ARGS, find_chromium

    b = PipeBrowser(find_chromium(), BROWSER_ARGS)
    try:
        version = b.call("Browser.getVersion")
        assert "Chrome" in version["product"] or "Headless" in version["product"]
        with pytest.raises(CDPError, match="No.suchMethod.*found"):
            b.call("No.suchMethod")
        assert b.alive
    finally:
        b.close()
    assert not b.alive and _gone(b.pid)
    with pytest.raises(CDPError):
        b.call("Browser.getVersion", timeout=1)


def test_printer_restarts_a_crashed_browser(tmp_path):
    from xxgk.render.pdf import ChromiumPrinter

    src = tmp_path / "a.html"
    src.write_text(PAGE, encoding="utf-8")
    with ChromiumPrinter() as printer:
        printer.print_pdf(src, tmp_path / "1.pdf")
        first = printer._browser.pid
        os.killpg(first, signal.SIGKILL)
        assert _gone(first)
        out = printer.print_pdf(src, tmp_path / "2.pdf")  # a new browser, transparently
        assert out.read_bytes().startswith(b"%PDF-")
        assert printer._browser.pid != first


def test_browser_exits_when_its_owner_is_killed(tmp_path):
    code = ("import sys, time\nfrom xxgk.render.pdf import ChromiumPrinter\n"
            "p = ChromiumPrinter(); p.start(); print(p._browser.pid, flush=True); time.sleep(60)\n")  # fmt: skip
    owner = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pid = int(owner.stdout.readline())
    os.kill(pid, 0)  # the browser runs
    owner.kill()
    owner.wait()
    assert _gone(pid), "the browser outlived the process that drove it"


def test_missing_file_is_a_user_error(tmp_path):
    from xxgk.errors import UserError
    from xxgk.render.pdf import ChromiumPrinter

    with ChromiumPrinter() as printer, pytest.raises(UserError, match="no such file"):
        printer.print_pdf(tmp_path / "missing.html", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
