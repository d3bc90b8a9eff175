"""Writers of hostile inputs for the ingest catalogue and ``benchmarks/bombs.py``: zip bombs (streamed, so a
1.5 GB member costs seconds), forged zip sizes, billion laughs, span bombs and pages with huge data: URIs."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from tests.ingest.util import official_docx, official_html, synthetic

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
          + ']>\n')  # fmt: skip


def real_docx(path: Path, format_id: str = "2021") -> Path:
    """A small, well-formed report as .docx (the official layout)."""
    official_docx(synthetic(format_id), path)
    return path


def real_xlsx(path: Path, format_id: str = "2021") -> Path:
    """A data-entry form written by ``xxgk form``'s writer."""
    from xxgk.render.excel import write_form

    write_form(synthetic(format_id), path)
    return path


def rezip(src: Path, dst: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          pad: tuple[str, int] | None = None) -> Path:  # fmt: skip
    """Copy an archive, replacing or adding members; ``pad=(member, n)`` streams n bytes of spaces into the
    XML member just before its last closing tag (a highly compressible, still well-formed bomb)."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info.filename))
            if pad and info.filename == pad[0]:
                cut = data.rindex(b"</")
                with zout.open(info.filename, "w", force_zip64=True) as f:
                    f.write(data[:cut])
                    chunk = b" " * (1 << 22)
                    left = pad[1]
                    while left > 0:
                        f.write(chunk[: min(left, len(chunk))])
                        left -= len(chunk)
                    f.write(data[cut:])
            else:
                zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def zeros_member(src: Path, dst: Path, name: str, n: int) -> Path:
    """Copy an archive and add a member of ``n`` zero bytes (ratio ≈ 1000:1)."""
    rezip(src, dst)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as z, z.open(name, "w", force_zip64=True) as f:
        chunk = b"\0" * (1 << 22)
        left = n
        while left > 0:
            f.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return dst


def forge_size(path: Path, member: str, size: int) -> Path:
    """Rewrite the declared uncompressed size of ``member`` (central directory and local header) in place."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    i = 0
    while (i := data.find(b"PK\x01\x02", i)) >= 0:
        n = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + n] == name:
            struct.pack_into("<I", data, i + 24, size)
            local = struct.unpack_from("<I", data, i + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        i += 4
    path.write_bytes(bytes(data))
    return path


def laughs_docx(src: Path, dst: Path) -> Path:
    """A docx whose document.xml expands ``&lol9;`` (10⁹ 「lol」s) in its first paragraph."""
    with zipfile.ZipFile(src) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    body = xml[xml.index("<w:document"):]
    body = body.replace("<w:t>", "<w:t>&lol9;", 1)
    return rezip(src, dst, replace={"word/document.xml": (LAUGHS + body).encode("utf-8")})


def span_bomb_html(n_rows: int = 60, per_row: int = 100, span: int = 200) -> bytes:
    """A small page of ``n_rows × per_row`` cells each claiming ``rowspan=colspan=span``."""
    td = f"<td colspan={span} rowspan={span}>1</td>" * per_row
    return ("<html><body><p>2021年政府信息公开工作年度报告</p><table>" + f"<tr>{td}</tr>" * n_rows
            + "</table></body></html>").encode()  # fmt: skip


def data_uri_html(n_bytes: int, format_id: str = "2021") -> bytes:
    """The official page with an inline image of ``n_bytes`` of base64 just before 表三."""
    page = official_html(synthetic(format_id)).decode("utf-8")
    at = page.index("<p><strong>三、")
    img = '<p><img src="data:image/png;base64,' + "QUFB" * (n_bytes // 4) + '"></p>'
    return (page[:at] + img + page[at:]).encode("utf-8")
