"""Other office formats through a real converter: legacy Word and WPS (.doc, .wps), .rtf and .odt become .docx,
legacy Excel and WPS sheets (.xls, .et, .ods) become .xlsx, by LibreOffice headless; saved web archives
(.mht / .mhtml, MIME) give up their HTML part with the standard library. The existing readers do the rest.

LibreOffice is an optional runtime dependency (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui);
``xxgk doctor`` reports it; set ``XXGK_SOFFICE`` to use another soffice executable."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from xxgk import limits
from xxgk.i18n import N_, _
from xxgk.ingest.source import IngestError

#: suffix → the format LibreOffice converts it to
TO_DOCX = (".doc", ".wps", ".rtf", ".odt", ".wpt", ".dot")
TO_XLSX = (".xls", ".et", ".ods", ".ett")
WEB_ARCHIVES = (".mht", ".mhtml")
CONVERT_TIMEOUT = 120.0  # seconds LibreOffice may take for one document
#: what to do with a file over ``limits.MAX_INPUT_BYTES['convert']`` (a published report is far smaller)
TOO_BIG_HINT = N_("not read: a published report is far smaller; check that this is the report, or save it as .docx/.xlsx/.html")
INSTALL_HINT = N_("install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui "
                  "libreoffice-calc-nogui) or save the file as .docx / .xlsx first")


def soffice() -> str | None:
    """The LibreOffice executable: ``XXGK_SOFFICE``, else ``soffice`` or ``libreoffice`` on PATH."""
    env = os.environ.get("XXGK_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def target_of(path: str | Path) -> str | None:
    """What a file is converted to before reading: "docx", "xlsx", "html" (web archive) or None."""
    suffix = Path(path).suffix.lower()
    if suffix in TO_DOCX:
        return "docx"
    if suffix in TO_XLSX:
        return "xlsx"
    if suffix in WEB_ARCHIVES:
        return "html"
    return None


@contextmanager
def converted(path: str | Path, target: str):
    """Yield a temporary .docx/.xlsx converted from ``path`` by LibreOffice; removed afterwards."""
    path = Path(path)
    limits.check_size(path, "convert", hint=_(TOO_BIG_HINT))
    exe = soffice()
    if exe is None:
        raise IngestError(path, _("reading {suffix} files needs LibreOffice, which is not installed; {install_hint}").format(suffix=path.suffix, install_hint=_(INSTALL_HINT)))
    with tempfile.TemporaryDirectory(prefix="xxgk-convert-") as tmp:
        src = Path(tmp) / f"in{path.suffix.lower()}"  # a plain ASCII name: LibreOffice mangles some others
        shutil.copyfile(path, src)
        cmd = [exe, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation=file://{tmp}/profile",
               "--convert-to", target, "--outdir", str(Path(tmp) / "out"), str(src)]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise IngestError(path, _("LibreOffice did not convert it within {convert_timeout:g} s (CONVERT_TIMEOUT)").format(convert_timeout=CONVERT_TIMEOUT)) from None  # fmt: skip
        except OSError as exc:
            raise IngestError(path, _("cannot run LibreOffice ({exc}); {install_hint}").format(exc=exc, install_hint=_(INSTALL_HINT))) from None
        out = Path(tmp) / "out" / f"in.{target}"
        if not out.is_file() or out.stat().st_size == 0:
            why = (proc.stderr or proc.stdout).strip().splitlines()
            raise IngestError(path, _("LibreOffice could not convert it to .{target} (not a {suffix} document?{value})").format(target=target, suffix=path.suffix, value=' ' + why[-1][:200] if why else ''))  # fmt: skip
        yield out


def web_archive_html(path: str | Path) -> tuple[str, str | None, dict[str, bytes]]:
    """The HTML part of a saved web archive (.mht / .mhtml) as text, its charset, and the other parts (the
    page's pictures) by Content-Location and ``cid:`` Content-ID."""
    path = Path(path)
    limits.check_size(path, "convert", hint=_(TOO_BIG_HINT))
    data = path.read_bytes()
    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        parts = [p for p in msg.walk() if p.get_content_type() == "text/html"]
    except Exception as exc:  # noqa: BLE001 - the email parser is lenient; anything it raises means "not MIME"
        raise IngestError(path, _("not a readable web archive ({name})").format(name=exc.__class__.__name__)) from None
    if not parts:
        raise IngestError(path, _("the web archive holds no HTML page (no text/html part)"))
    part = parts[0]
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    from xxgk.ingest.pictures import archive_parts
    from xxgk.ingest.text import decode

    return decode(payload, charset, path), charset, archive_parts(msg)
