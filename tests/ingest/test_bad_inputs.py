"""Bad-input catalogue for the ingest readers: every hostile or broken file ends in one clear message naming
the file (and the limit, with the size found), exit status 2, no traceback — or, when a bound is only a clip,
in a complete read. Bombs are generated small and fast (streamed zip members, forged sizes)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.ingest import bombs
from tests.ingest.util import pdf_bytes
from xxgk import limits
from xxgk.cli import main

MB = 1 << 20
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    d = tmp_path_factory.mktemp("real")
    (d / "real.html").write_bytes(bombs.official_html(bombs.synthetic("2021")))
    return {"docx": bombs.real_docx(d / "real.docx"), "xlsx": bombs.real_xlsx(d / "real.xlsx"),
            "html": d / "real.html"}  # fmt: skip


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def drop(src: Path, dst: Path, name: str) -> Path:
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for i in zi.infolist():
            if i.filename != name:
                zo.writestr(i.filename, zi.read(i.filename))
    return dst


def flip(src: Path, dst: Path, name: str) -> Path:
    """Corrupt the deflate stream of one member (the zip directory stays intact)."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    for k in range(start, start + 40):
        data[k] ^= 0x55
    dst.write_bytes(bytes(data))
    return dst


def with_table(src: Path, dst: Path, table_xml: bytes, copies: int = 1) -> Path:
    xml = member(src, "word/document.xml")
    at = xml.rindex(b"<w:sectPr")
    return bombs.rezip(src, dst, replace={"word/document.xml": xml[:at] + table_xml * copies + xml[at:]})


def tbl(rows: int, span: int) -> bytes:
    tc = '<w:tc><w:tcPr><w:gridSpan w:val="{}"/></w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
    return ("<w:tbl>" + "".join(f"<w:tr>{tc.format(span, i)}</w:tr>" for i in range(rows)) + "</w:tbl>").encode()


def sparse(d: Path, head: bytes, size: int) -> Path:
    """A file of ``size`` bytes that costs nothing to write (only its size matters)."""
    p = d / "sparse.bin"
    with p.open("wb") as f:
        f.write(head)
        f.truncate(size)
    return p


def text_pdf(pages: int, encrypt: bool = False) -> bytes:
    """A minimal PDF with a text layer on every page (optionally with a /Encrypt dictionary)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(f"{5 + i} 0 R".encode() for i in range(pages)) +
            f"] /Count {pages} >>".encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Report 2021) Tj ET\nendstream"]  # fmt: skip
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
             b"/Resources << /Font << /F1 3 0 R >> >> >>"] * pages  # fmt: skip
    if encrypt:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>")
    enc = f" /Encrypt {len(objs)} 0 R /ID [<{'00' * 16}> <{'00' * 16}>]" if encrypt else ""
    return pdf_bytes(objs, enc)


def forged(real, d, declared):
    p = bombs.rezip(real["docx"], d / "forged.docx", pad=("word/document.xml", 2 * MB))
    return bombs.forge_size(p, "word/document.xml", declared)


def span_tables(n_tables: int, rows: int) -> bytes:
    td = "<td colspan=50>1</td>"
    table = "<table>" + f"<tr>{td * 10}</tr>" * rows + "</table>"
    return f"<html><body><p>2021年政府信息公开工作年度报告</p>{table * n_tables}</body></html>".encode()


def big_text_before_t3(real, n: int, where: str = "text") -> bytes:
    page = real["html"].read_bytes().decode("utf-8")
    at = page.index("<p><strong>三、")
    filler = "x" * n if where == "text" else f'<p style="{"x" * n}">a</p>'
    return (page[:at] + (f"<p>{filler}</p>" if where == "text" else filler) + page[at:]).encode("utf-8")


def zip_of(files: dict[str, bytes]) -> bytes:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as z:
        for k, v in files.items():
            z.writestr(k, v)
    return bio.getvalue()


def many_members(src: Path, dst: Path, n: int) -> Path:
    return bombs.rezip(src, dst, add={f"customXml/item{i}.bin": b"" for i in range(n)})


XXE = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'

# (id, file name, builder(real, dir) -> bytes | Path, message fragments); every case exits 2.
CASES = [
    # .docx: damaged archives
    ("docx-empty", "a.docx", lambda r, d: b"", ["cannot read the file as .docx: not a zip archive"]),
    ("docx-garbage", "a.docx", lambda r, d: bytes(range(256)) * 40, ["not a zip archive"]),
    ("docx-pk-garbage", "a.docx", lambda r, d: b"PK\x03\x04garbage", ["not a zip archive"]),
    ("docx-truncated-half", "a.docx", lambda r, d: r["docx"].read_bytes()[:20000], ["not a zip archive"]),
    ("docx-truncated-end", "a.docx", lambda r, d: r["docx"].read_bytes()[:-30], ["not a zip archive"]),
    ("docx-ole", "a.docx", lambda r, d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     ["OLE compound file", "password-protected"]),
    ("docx-corrupt-deflate", "a.docx", lambda r, d: flip(r["docx"], d / "f.docx", "word/document.xml"),
     ["member word/document.xml is damaged"]),
    ("docx-no-document-xml", "a.docx", lambda r, d: drop(r["docx"], d / "n.docx", "word/document.xml"),
     ["cannot read the file as .docx: KeyError"]),
    ("docx-no-content-types", "a.docx", lambda r, d: drop(r["docx"], d / "n.docx", "[Content_Types].xml"),
     ["cannot read the file as .docx: KeyError", "[Content_Types].xml"]),
    ("docx-zip-of-text", "a.docx", lambda r, d: zip_of({"a.txt": b"hi"}), ["cannot read the file as .docx"]),
    ("docx-is-xlsx", "a.docx", lambda r, d: r["xlsx"].read_bytes(), ["cannot read the file as .docx", "not a Word file"]),
    ("docx-garbage-xml", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "g.docx", replace={"word/document.xml": b"<w:document><<<"}),
     ["cannot read the file as .docx: XMLSyntaxError"]),
    ("docx-truncated-xml", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "g.docx",
                              replace={"word/document.xml": member(r["docx"], "word/document.xml")[:5000]}),
     ["cannot read the file as .docx: XMLSyntaxError"]),
    ("docx-no-body", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "g.docx", replace={"word/document.xml": b"<w:document " + W + b"/>"}),
     ["the document has no body"]),
    ("docx-nesting-depth", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "g.docx", replace={"word/document.xml": b"<w:document " + W + b"><w:body>"
                              + b"<w:sdt><w:sdtContent>" * 3000 + b"</w:sdtContent></w:sdt>" * 3000
                              + b"</w:body></w:document>"}),
     ["XMLSyntaxError: Excessive depth in document"]),
    # .docx: bombs
    ("docx-inflates-300MB", "a.docx", lambda r, d: bombs.rezip(r["docx"], d / "b.docx", pad=("word/document.xml", 300 * MB)),
     ["the .docx expands to 300.", "(limit 200 MB: MAX_ARCHIVE_UNCOMPRESSED)"]),
    ("docx-zeros-member", "a.docx", lambda r, d: bombs.zeros_member(r["docx"], d / "b.docx", "word/media/x.bin", 250 * MB),
     ["the .docx expands to 250", "MAX_ARCHIVE_UNCOMPRESSED"]),
    ("docx-ratio", "a.docx", lambda r, d: bombs.zeros_member(r["docx"], d / "b.docx", "word/media/x.bin", 20 * MB),
     ["member word/media/x.bin of the .docx is compressed", ":1 (limit 200:1: MAX_COMPRESSION_RATIO)"]),
    ("docx-forged-small-size", "a.docx", lambda r, d: forged(r, d, 1000),
     ["member word/document.xml is damaged", "Bad CRC-32"]),
    ("docx-forged-huge-size", "a.docx", lambda r, d: forged(r, d, 4_000_000_000),
     ["the .docx expands to 3.7 GB (limit 200 MB: MAX_ARCHIVE_UNCOMPRESSED)"]),
    ("docx-many-members", "a.docx", lambda r, d: many_members(r["docx"], d / "m.docx", 2100),
     ["members (limit 2000: MAX_ZIP_MEMBERS)"]),
    ("docx-billion-laughs", "a.docx", lambda r, d: bombs.laughs_docx(r["docx"], d / "l.docx"),
     ["member word/document.xml declares a DOCTYPE or XML entities"]),
    ("docx-xxe", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "x.docx", replace={"word/document.xml": XXE + b"<w:document " + W + b"/>"}),
     ["declares a DOCTYPE or XML entities"]),
    ("docx-doctype-utf16", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "x.docx", replace={"word/document.xml": (
         '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "b">]><w:document/>').encode("utf-16-le")}),
     ["declares a DOCTYPE or XML entities"]),
    ("docx-doctype-in-rels", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "x.docx", replace={"_rels/.rels": XXE + member(r["docx"], "_rels/.rels")}),
     ["member _rels/.rels declares a DOCTYPE"]),
    ("docx-gridspan-cells", "a.docx", lambda r, d: with_table(r["docx"], d / "t.docx", tbl(2100, 10**9)),
     ["table 4 expands to 105000 cells (limit 100000: MAX_GRID_CELLS)"]),
    ("docx-document-cells", "a.docx", lambda r, d: with_table(r["docx"], d / "t.docx", tbl(1900, 50), copies=3),
     ["the tables up to table 6 expand to 285396 cells (limit 250000: MAX_DOCUMENT_CELLS)"]),
    ("docx-many-tables", "a.docx", lambda r, d: with_table(r["docx"], d / "t.docx", b"<w:tbl/>", copies=2001),
     ["the document has 2004 tables (limit 2000: MAX_TABLES)"]),
    # regressions kept from the fuzzers (python-docx/openpyxl exceptions on well-formed, out-of-schema XML)
    ("docx-vmerge-in-first-row", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "v.docx", replace={"word/document.xml": member(
         r["docx"], "word/document.xml").replace(b"<w:tcPr>", b"<w:tcPr><w:vMerge/>", 1)}),
     ["cannot read the file as .docx: ValueError: no tr above topmost tr in w:tbl"]),
    ("docx-content-type-not-word", "a.docx",
     lambda r, d: bombs.rezip(r["docx"], d / "c.docx", replace={"[Content_Types].xml": member(
         r["docx"], "[Content_Types].xml").replace(b"document.main+xml", b"document.glossary+xml")}),
     ["cannot read the file as .docx: ValueError:", "is not a Word file"]),
    ("xlsx-font-size-text", "a.xlsx",
     lambda r, d: bombs.rezip(r["xlsx"], d / "s.xlsx", replace={"xl/styles.xml": member(
         r["xlsx"], "xl/styles.xml").replace(b'<sz val="11"/>', b'<sz val="x"/>', 1)}),
     ["cannot read the file as .xlsx"]),
    ("xlsx-font-unknown-attribute", "a.xlsx",
     lambda r, d: bombs.rezip(r["xlsx"], d / "s.xlsx", replace={"xl/styles.xml": member(
         r["xlsx"], "xl/styles.xml").replace(b"<font>", b'<font restart="1"><font/>', 1)}),
     ["cannot read the file as .xlsx"]),
    ("docx-too-big-file", "a.docx", lambda r, d: sparse(d, b"PK", 51 * MB),
     ["the .docx file is 51 MB (limit 50 MB: MAX_INPUT_BYTES['docx'])"]),
    # .xlsx forms
    ("xlsx-empty", "a.xlsx", lambda r, d: b"", ["not a zip archive"]),
    ("xlsx-garbage", "a.xlsx", lambda r, d: bytes(range(256)) * 40, ["not a zip archive"]),
    ("xlsx-truncated", "a.xlsx", lambda r, d: r["xlsx"].read_bytes()[:9000], ["not a zip archive"]),
    ("xlsx-bomb", "a.xlsx", lambda r, d: bombs.zeros_member(r["xlsx"], d / "b.xlsx", "xl/media/x.bin", 300 * MB),
     ["the .xlsx expands to 300", "MAX_ARCHIVE_UNCOMPRESSED"]),
    ("xlsx-ratio", "a.xlsx",
     lambda r, d: bombs.rezip(r["xlsx"], d / "b.xlsx", pad=("xl/worksheets/sheet1.xml", 30 * MB)),
     ["member xl/worksheets/sheet1.xml of the .xlsx is compressed", "MAX_COMPRESSION_RATIO"]),
    ("xlsx-corrupt-deflate", "a.xlsx", lambda r, d: flip(r["xlsx"], d / "f.xlsx", "xl/worksheets/sheet1.xml"),
     ["member xl/worksheets/sheet1.xml is damaged"]),
    ("xlsx-billion-laughs", "a.xlsx",
     lambda r, d: bombs.rezip(r["xlsx"], d / "l.xlsx", replace={"xl/workbook.xml": bombs.LAUGHS.encode()
                              + member(r["xlsx"], "xl/workbook.xml").split(b"?>")[-1]}),
     ["member xl/workbook.xml declares a DOCTYPE or XML entities"]),
    ("xlsx-garbage-workbook-xml", "a.xlsx",
     lambda r, d: bombs.rezip(r["xlsx"], d / "g.xlsx", replace={"xl/workbook.xml": b"<workbook><<"}),
     ["cannot read the file as .xlsx"]),
    ("xlsx-garbage-sheet-xml", "a.xlsx",
     lambda r, d: bombs.rezip(r["xlsx"], d / "g.xlsx", replace={"xl/worksheets/sheet1.xml": b"<worksheet><<"}),
     ["cannot read the file as .xlsx"]),
    ("xlsx-is-docx", "a.xlsx", lambda r, d: r["docx"].read_bytes(), ["not an Excel .xlsx workbook"]),
    # .html
    ("html-empty", "a.html", lambda r, d: b"", ["empty HTML page"]),
    ("html-binary-garbage", "a.html", lambda r, d: bytes(range(256)) * 50, ["cannot decode the text"]),
    ("html-span-bomb", "a.html", lambda r, d: bombs.span_bomb_html(60, 100, 200),
     ["the table at body/table[1] expands to", "cells (limit 100000: MAX_GRID_CELLS)"]),
    ("html-many-span-tables", "a.html", lambda r, d: span_tables(8, 80),
     ["cells (limit 250000: MAX_DOCUMENT_CELLS)"]),
    ("html-huge-text-node", "a.html", lambda r, d: big_text_before_t3(r, 10_200_000),
     ["the HTML parser stopped at line", "the page was not read to the end"]),
    ("html-huge-attribute", "a.html", lambda r, d: big_text_before_t3(r, 10_200_000, "attr"),
     ["the page was not read to the end"]),
    ("html-deep-nesting", "a.html",
     lambda r, d: b"<html><body>" + b"<div>" * 5000 + "2021年".encode() + b"</div>" * 5000 + b"</body></html>",
     ["Excessive depth", "the page was not read to the end"]),
    ("html-over-parser-size", "a.html", lambda r, d: big_text_before_t3(r, 11 * MB),
     ["the HTML page (inline data: URIs dropped) is 11", "(limit 10 MB: MAX_HTML_BYTES)"]),
    ("html-too-big-file", "a.html", lambda r, d: sparse(d, b"<html>", 51 * MB), ["(limit 50 MB: MAX_INPUT_BYTES['html'])"]),
    # .txt
    ("text-empty", "a.txt", lambda r, d: b"", ["no text found; not a report"]),
    ("text-binary", "a.txt", lambda r, d: b"\x00\x01\x02" * 1000, ["binary data, not a text file"]),
    ("text-undecodable", "a.txt", lambda r, d: b"\x81\x30\xff" * 100, ["cannot decode the text"]),
    ("text-too-big", "a.txt", lambda r, d: sparse(d, b"a", 6 * MB), ["the text file is 6 MB (limit 5 MB: MAX_INPUT_BYTES['text'])"]),
    # .pdf
    ("pdf-empty", "a.pdf", lambda r, d: b"", ["cannot read the file as .pdf: the file is empty"]),
    ("pdf-garbage", "a.pdf", lambda r, d: bytes(range(256)) * 40, ["not a readable PDF"]),
    ("pdf-truncated", "a.pdf", lambda r, d: text_pdf(3)[:300], ["not a readable PDF"]),
    ("pdf-encrypted", "a.pdf", lambda r, d: text_pdf(1, encrypt=True), ["it is encrypted (password protected)"]),
    ("pdf-too-many-pages", "a.pdf", lambda r, d: text_pdf(600), ["the PDF has 600 pages (limit 500: MAX_PDF_PAGES)"]),
    ("pdf-too-big", "a.pdf", lambda r, d: sparse(d, b"%PDF-1.4\n", 101 * MB), ["(limit 100 MB: MAX_INPUT_BYTES['pdf'])"]),
    # types and names
    ("unknown-extension", "a.exe", lambda r, d: b"\x00MZ\x90", ["unsupported file type .exe"]),
    ("old-doc", "a.doc", lambda r, d: b"\x00\xd0\xcf\x11", ["a.doc: ", "LibreOffice could not convert it to .docx"]),
    ("no-extension-binary", "report", lambda r, d: b"\x00\x01\x02", ["unsupported file type (none)"]),
    ("no-extension-zip", "report", lambda r, d: zip_of({"a.txt": b"x"}), ["cannot read the file as .docx"]),
]


@pytest.mark.parametrize(("name", "builder", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, real, capsys, name, builder, fragments):
    built = builder(real, tmp_path)
    p = tmp_path / name
    if isinstance(built, Path):
        shutil.move(built, p)
    else:
        p.write_bytes(built)
    assert main(["ingest", str(p), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"xxgk ingest: {p}: "), err
    for f in fragments:
        assert f in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_catalogue_is_large_enough():
    assert len(CASES) >= 45


def test_no_such_file_and_directory(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope.docx"), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nope.docx'}: no such file" in err
    assert f"{tmp_path}: no such file" in err


def test_data_uri_before_t3_is_dropped_and_the_page_read_whole(tmp_path, capsys):
    """Regression: a 37 MB inline image before 表三 made libxml2 stop, and 22/198 cells were read silently."""
    p = tmp_path / "uri.html"
    p.write_bytes(bombs.data_uri_html(12 * MB))
    assert main(["ingest", str(p), "--json"]) == 0
    assert "200/200 cells read, 0 uncertain" in capsys.readouterr().err


def test_spans_are_clipped_not_refused(tmp_path, real, capsys):
    """A rowspan of 10²⁰ or a negative colspan is clipped to 1..MAX_SPAN; the report is still read."""
    page = real["html"].read_bytes().replace(b"<td>", b"<td rowspan='99999999999999999999' colspan='-5'>", 1)
    p = tmp_path / "span.html"
    p.write_bytes(page)
    assert main(["ingest", str(p), "--json"]) == 0
    assert "200/200 cells read" in capsys.readouterr().err


def test_gridspan_is_clipped(tmp_path, real, capsys):
    p = with_table(real["docx"], tmp_path / "t.docx", tbl(3, 10**9))
    assert main(["ingest", str(p), "--json"]) == 0
    assert "200/200 cells read" in capsys.readouterr().err


def test_real_files_still_read(real, tmp_path, capsys):
    assert main(["ingest", str(real["docx"]), str(real["html"]), "--json"]) == 0
    assert capsys.readouterr().err.count("200/200 cells read") == 2
    assert main(["ingest", str(real["xlsx"]), "-o", str(tmp_path / "out")]) == 0


def test_time_budget(tmp_path, real, capsys, monkeypatch):
    monkeypatch.setattr(limits, "INGEST_SECONDS", 0.0)
    assert main(["ingest", str(real["html"]), "--json"]) == 2
    err = capsys.readouterr().err
    assert f"{real['html']}: reading the document (stopped at body/table[1] tr[1]) took more than 0 s" in err
    assert "INGEST_SECONDS" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100 + "]" * 100, "the JSON nests 100 levels deep (limit 64: MAX_JSON_DEPTH)"),
        ("[" * 200_000, "the JSON nests 200000 levels deep (limit 64: MAX_JSON_DEPTH)"),
        ('{"a": "' + "[" * 500 + '"}', None),
    ],
)
def test_json_bounds(tmp_path, text, message):
    p = tmp_path / "x.json"
    p.write_text(text, encoding="utf-8")
    if message is None:
        assert limits.read_json(p) == {"a": "[" * 500}
        return
    with pytest.raises(limits.LimitError) as e:
        limits.read_json(p)
    assert str(e.value) == f"{p}: {message}"


def test_json_size_is_checked_before_reading(tmp_path):
    p = tmp_path / "big.json"
    with p.open("wb") as f:
        f.truncate(300 * MB)  # sparse: the size alone must refuse it
    with pytest.raises(limits.LimitError) as e:
        limits.read_json(p)
    assert str(e.value) == f"{p}: the .json file is 300 MB (limit 20 MB: MAX_INPUT_BYTES['json'])"


SLOW_REGEX = (r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking: minutes in one re.match call


def test_time_budget_interrupts_a_running_slow_call(tmp_path):
    """A single slow call with no tick() in it (here a real pathological regex) is interrupted by the timer at
    the budget, with the same LimitError; the previous SIGALRM handler and timer are restored afterwards."""
    import re
    import signal
    import time

    before = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    with pytest.raises(limits.LimitError) as e, limits.time_budget(tmp_path / "slow.html", 0.3):
        re.match(*SLOW_REGEX)
    assert time.monotonic() - start < 2.0
    assert str(e.value) == f"{tmp_path / 'slow.html'}: reading the document (interrupted) took more than 0.3 s (limit 0.3 s: INGEST_SECONDS)"
    assert e.value.limit_name == "INGEST_SECONDS"
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with limits.time_budget("quick.html", 0.3):  # a budget not spent leaves no timer behind to fire later
        pass
    time.sleep(0.4)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_budget_off_the_main_thread_keeps_to_ticks():
    """No signal off the main thread: the budget is then checked by tick() only."""
    import signal
    import threading

    seen = []

    def work():
        with limits.time_budget("t.html", 0.0):
            seen.append(signal.getitimer(signal.ITIMER_REAL))
            try:
                limits.tick("line 1")
            except limits.LimitError as exc:
                seen.append(str(exc))

    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert seen == [(0.0, 0.0), "t.html: reading the document (stopped at line 1) took more than 0 s (limit 0 s: INGEST_SECONDS)"]


def test_time_budget_interrupts_the_cli_mid_parse(tmp_path, real, capsys, monkeypatch):
    """Through ``xxgk ingest``: a budget far shorter than the read stops it wherever it is, one line, exit 2."""
    import signal

    monkeypatch.setattr(limits, "INGEST_SECONDS", 0.001)
    assert main(["ingest", str(real["docx"]), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"xxgk ingest: {real['docx']}: reading the document (") and err.count("\n") == 1
    assert err.endswith("took more than 0.001 s (limit 0.001 s: INGEST_SECONDS)\n")
    assert not (tmp_path / "out").exists() and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
