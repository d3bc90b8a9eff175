"""Named bounds on every input xxgk reads, checked before a parser sees the bytes.

A hostile or broken file (a zip bomb, an XML entity bomb, a page of 200×200 merged cells, a 300 MB JSON) is
refused with the limit's name and the size found, e.g. 「the .docx expands to 1.5 GB (limit 200 MB:
MAX_ARCHIVE_UNCOMPRESSED)」, instead of running for minutes or exhausting memory.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import re
import signal
import threading
import time
import zipfile
import zlib
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import N_, _

MB = 1024 * 1024

MAX_INPUT_BYTES = {  # the file as stored, per type
    "text": 5 * MB,  # real reports are 10-20 KB of text
    "html": 50 * MB,  # before data: URIs are dropped; see MAX_HTML_BYTES for what is parsed
    "docx": 50 * MB,
    "xlsx": 20 * MB,
    "pdf": 100 * MB,
    "json": 20 * MB,
    "convert": 50 * MB,  # .doc/.wps/.rtf/.odt/.xls/.et/.ods and .mht web archives, before LibreOffice or MIME sees them
}
#: how a file of each kind is named in a message (else 「the .KIND file」)
_KIND_NAMES = {"text": N_("the text file"), "convert": N_("the file to convert")}
MAX_ARCHIVE_UNCOMPRESSED = 200 * MB  # all members of a .docx/.xlsx together, declared and actually inflated
MAX_COMPRESSION_RATIO = 200  # zeros and spaces deflate ~1000:1, Office XML ~10:1; per member larger than RATIO_FLOOR_BYTES once inflated
RATIO_FLOOR_BYTES = 1 * MB
MAX_ZIP_MEMBERS = 2000
MAX_HTML_BYTES = 10 * MB  # the page text handed to the HTML parser (libxml2's own text-node limit is 10 MB)
MAX_SPAN = 50  # rowspan/colspan (HTML) and gridSpan (DOCX) larger than this are clipped
MAX_GRID_CELLS = 100_000  # positions of one table once merged cells are expanded
MAX_DOCUMENT_CELLS = 250_000  # positions of all tables of one document together
MAX_TABLES = 2000  # tables in one document
MAX_PDF_PAGES = 500
MAX_IMAGE_FRAMES = MAX_PDF_PAGES  # pages of a multi-page TIFF
MAX_PICTURES = 30  # <img> pictures of one web page read through OCR; the rest are left out with a doubt
MAX_PICTURE_BYTES = 20 * MB  # one picture file, MIME part or data: URI (decoded)
MAX_PICTURE_PIXELS = 40_000_000  # one picture or image page (an A4 page at 600 dpi is 35 Mpx)
MAX_JSON_DEPTH = 64
MAX_JOBS = 128  # parallel build workers: each is a kernel and a browser tab (~300 MB together)
INGEST_SECONDS = 120.0  # per document, from opening the file to the last table read

_XML_DECL = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_XML_DECL_UTF16 = re.compile(rb"<\x00!\x00(?:D\x00O\x00C\x00T\x00Y\x00P\x00E|E\x00N\x00T\x00I\x00T\x00Y)\x00", re.I)


class InputError(UserError):
    """A file that cannot be read: damaged, of the wrong type, or refused (``IngestError`` is one)."""

    def __init__(self, path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


class LimitError(InputError):
    """An input over one of the named limits of ``xxgk.limits``."""

    def __init__(self, path, what: str, found: str, limit: str, name: str, hint: str = "") -> None:
        self.limit_name = name
        super().__init__(path, _("{what} {found} (limit {limit}: {name})").format(what=what, found=found, limit=limit, name=name)
                         + (_("; ") + hint if hint else ""))  # fmt: skip


def check_cells(path, where: str, size: int, used: int) -> int:
    """Refuse a table of ``size`` positions over ``MAX_GRID_CELLS``, or one that takes the document's tables
    (``used`` so far) over ``MAX_DOCUMENT_CELLS``; return the new total."""
    if size > MAX_GRID_CELLS:
        raise LimitError(path, _("{where} expands to").format(where=where), _("{size} cells").format(size=size), str(MAX_GRID_CELLS), "MAX_GRID_CELLS")
    if used + size > MAX_DOCUMENT_CELLS:
        raise LimitError(path, _("the tables up to {where} expand to").format(where=where), _("{value} cells").format(value=used + size),
                         str(MAX_DOCUMENT_CELLS), "MAX_DOCUMENT_CELLS")  # fmt: skip
    return used + size


def size_text(n: float) -> str:
    """A byte count for messages: 「1.5 GB」, 「300 KB」, 「12 bytes」."""
    for unit, size in (("GB", 1024**3), ("MB", MB), ("KB", 1024)):
        if n >= size:
            v = n / size
            return f"{v:.1f} {unit}".replace(".0 ", " ")
    return f"{int(n)} bytes"


def check_size(path, kind: str, size: int | None = None, hint: str = "") -> int:
    """Refuse a file larger than ``MAX_INPUT_BYTES[kind]`` (``hint``: what to do, added to the message); return
    its size."""
    size = Path(path).stat().st_size if size is None else size
    limit = MAX_INPUT_BYTES[kind]
    if size > limit:
        found, cap = size_text(size), size_text(limit)
        if found == cap:  # just over: rounded, both would read 「20 MB」
            found, cap = f"{size:,} bytes", f"{limit:,} bytes"
        raise LimitError(path, _("{file} is").format(file=_(_KIND_NAMES[kind]) if kind in _KIND_NAMES else _("the .{kind} file").format(kind=kind)), found, cap, f"MAX_INPUT_BYTES[{kind!r}]",
                         hint)  # fmt: skip
    return size


def check_zip(path, kind: str) -> None:
    """Inspect a .docx/.xlsx archive before any parser opens it.

    Declared sizes, member count and compression ratios are checked from the central directory; then every
    XML member is inflated in chunks (counting the bytes actually produced, so forged sizes do not help) and
    refused if it declares a DOCTYPE or entities (billion laughs, external entities).
    """
    check_size(path, kind)
    with open(path, "rb") as f:
        head = f.read(8)
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(path, _("cannot read the file as .{kind}: it is an OLE compound file (an old binary Office file or a password-protected one); save an unprotected .{kind} copy first").format(kind=kind))  # fmt: skip
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(path, _("cannot read the file as .{kind}: not a zip archive ({exc})").format(kind=kind, exc=exc)) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise LimitError(path, _("the .{kind} archive has").format(kind=kind), _("{n} members").format(n=len(infos)), str(MAX_ZIP_MEMBERS),
                             "MAX_ZIP_MEMBERS")  # fmt: skip
        declared = sum(i.file_size for i in infos)
        if declared > MAX_ARCHIVE_UNCOMPRESSED:
            raise LimitError(path, _("the .{kind} expands to").format(kind=kind), size_text(declared), size_text(MAX_ARCHIVE_UNCOMPRESSED),
                             "MAX_ARCHIVE_UNCOMPRESSED")  # fmt: skip
        for i in infos:
            if i.file_size > RATIO_FLOOR_BYTES and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1):
                ratio = i.file_size // max(i.compress_size, 1)
                raise LimitError(path, _("member {filename} of the .{kind} is compressed").format(filename=i.filename, kind=kind), f"{ratio}:1",
                                 f"{MAX_COMPRESSION_RATIO}:1", "MAX_COMPRESSION_RATIO")  # fmt: skip
        total = 0
        for i in infos:
            if not i.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            total = _scan_member(path, kind, zf, i, total)


def _scan_member(path, kind: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, total: int) -> int:
    tail = b""
    try:
        with zf.open(info) as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
                if total > MAX_ARCHIVE_UNCOMPRESSED:
                    raise LimitError(path, _("the .{kind} expands to more than").format(kind=kind), size_text(MAX_ARCHIVE_UNCOMPRESSED),
                                     size_text(MAX_ARCHIVE_UNCOMPRESSED), "MAX_ARCHIVE_UNCOMPRESSED")  # fmt: skip
                window = tail + chunk
                if _XML_DECL.search(window) or _XML_DECL_UTF16.search(window):
                    raise InputError(path, _("cannot read the file as .{kind}: member {filename} declares a DOCTYPE or XML entities (refused: entity expansion)").format(kind=kind, filename=info.filename))  # fmt: skip
                tail = window[-32:]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise InputError(path, _("cannot read the file as .{kind}: member {filename} is damaged ({value}: {exc})").format(kind=kind, filename=info.filename, value='zlib.error' if isinstance(exc, zlib.error) else exc.__class__.__name__, exc=exc)) from None  # fmt: skip
    return total


def read_json(path, kind: str = "json"):
    """Load a JSON file, the one reader of every JSON input: size (``MAX_INPUT_BYTES[kind]``) and nesting
    (``MAX_JSON_DEPTH``) checked before parsing, NaN and Infinity refused; each failure is one InputError
    (a LimitError for a bound) naming the file, and the line for a syntax error."""
    try:
        check_size(path, kind)
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, _("not UTF-8 text ({reason} at byte {start})").format(reason=exc.reason, start=exc.start)) from None
    except OSError as exc:
        raise InputError(path, _("cannot read the file ({strerror})").format(strerror=exc.strerror or exc)) from None
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise LimitError(path, _("the JSON nests"), _("{depth} levels deep").format(depth=depth), str(MAX_JSON_DEPTH), "MAX_JSON_DEPTH")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(path, _("not valid JSON: {msg} (column {colno})").format(msg=exc.msg, colno=exc.colno), exc.lineno) from None
    except ValueError as exc:  # NaN, Infinity
        raise InputError(path, _("not valid JSON: {exc}").format(exc=exc)) from None


def _no_constant(name: str):
    raise ValueError(_("{name} is not a number JSON allows (expected a finite number)").format(name=name))


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text (brackets inside strings ignored)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = best = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            best = max(best, depth)
        else:
            depth -= 1
    return best


_deadline: contextvars.ContextVar[tuple[float, str, float] | None] = contextvars.ContextVar("xxgk_ingest_deadline",
                                                                                      default=None)  # fmt: skip


@contextlib.contextmanager
def time_budget(path, seconds: float | None = None):
    """Give the reading of one document ``INGEST_SECONDS``: ``tick()`` inside raises when it is spent, and in the
    main thread a timer (SIGALRM via ``setitimer``) interrupts whatever runs then with the same LimitError.

    Limits of the interrupt: Python delivers the signal between bytecodes, so a long C call (one libxml2 parse,
    a regex in a library that does not check for signals) is stopped only when it returns; library code that
    swallows every exception may eat it, and the next ``tick()`` raises instead. Off the main thread, without
    ``setitimer`` (Windows), or while another timer is armed (an outer budget, a test timeout), only ``tick()``
    applies. The previous handler and timer state are restored on leaving.
    """
    seconds = INGEST_SECONDS if seconds is None else seconds
    token = _deadline.set((time.monotonic() + seconds, str(path), seconds))
    try:
        with _alarm(path, seconds):
            yield
    finally:
        _deadline.reset(token)


def _over_budget(path, seconds: float, at: str) -> LimitError:
    return LimitError(path, _("reading the document{at} took more than").format(at=at), f"{seconds:g} s", f"{seconds:g} s",
                      "INGEST_SECONDS")  # fmt: skip


@contextlib.contextmanager
def _alarm(path, seconds: float):
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and seconds > 0 and signal.getitimer(signal.ITIMER_REAL)[0] == 0)  # fmt: skip
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise _over_budget(path, seconds, " (interrupted)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)


def tick(where: str = "") -> None:
    """Raise LimitError if the current document's time budget is spent (no-op outside ``time_budget``)."""
    d = _deadline.get()
    if d is not None and time.monotonic() > d[0]:
        raise _over_budget(d[1], d[2], f" (stopped at {where})" if where else "")
