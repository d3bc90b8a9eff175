"""Arbitrary text and mangled tables never crash the ingester: a result, or a clear UserError."""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest.util import official_html, synthetic
from xxgk.errors import UserError
from xxgk.ingest.html import parse_html
from xxgk.ingest.pipeline import ingest_doc
from xxgk.ingest.text import parse_text

SHARED = Path(os.environ.get("XXGK_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SEED = SHARED / "seeds" / "000_91f7c50ee08d0f8f.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n") if SEED.is_file() else []
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ingest_or_user_error(doc):
    try:
        got = ingest_doc(doc, year=None)
    except UserError as exc:
        assert str(exc)
        return None
    r = got.report
    for cid in r.fmt.cell_ids():  # every cell is there, with provenance; a cell not found is blank, never 0
        assert cid in r.cells and cid in r.provenance
        if not r.provenance[cid].source:
            assert r.cells[cid].state == "blank" and r.provenance[cid].uncertain
    return got


TOKENS = st.sampled_from([
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "2021年政府信息公开工作年度报告", "示例市人民政府", "第二十条第（一）项", "规章", "行政许可", "（七）总计", "3.其他",
    "（六）其他处理", "行政复议", "结果维持", "总计", "\t", "\n", "\n\n", "0", "12", "3.5", "/", "—", "22（其中修订16件）",
    "[bookmark: _GoBack]", "1.属于国家秘密", "本列数据", "2019年", "2024年1月1日至2024年12月31日", " ", "|", "<td>",
])  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=80))
def test_arbitrary_text_never_crashes(parts):
    ingest_or_user_error(parse_text("".join(parts), "fuzz.txt"))


@FUZZ
@given(st.data())
def test_mangled_seed_never_crashes(data):
    if not SEED_LINES:
        return
    lines = list(SEED_LINES)
    for _ in range(data.draw(st.integers(0, 12))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["drop", "dup", "digits", "tab", "blank", "swap"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "digits":
            lines[i] = "\t" + data.draw(st.from_regex(r"[0-9 ./—-]{0,12}", fullmatch=True))
        elif op == "tab":
            lines[i] = lines[i].lstrip("\t") if lines[i].startswith("\t") else "\t" + lines[i]
        elif op == "blank":
            lines.insert(i, "")
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    ingest_or_user_error(parse_text("\n".join(lines), "mangled.txt"))


@FUZZ
@given(st.data())
def test_mangled_html_tables_never_crash(data):
    html = official_html(synthetic(data.draw(st.sampled_from(["2019", "2021"])))).decode("utf-8")
    cells = html.split("<td")
    for _ in range(data.draw(st.integers(0, 10))):
        i = data.draw(st.integers(1, len(cells) - 1))
        attr = data.draw(
            st.sampled_from([' rowspan="0"', ' colspan="99"', ' rowspan="x"', ' colspan="3"', "", " rowspan='400'"])
        )
        cells[i] = attr + cells[i]
        if data.draw(st.booleans()):
            cells[i] = cells[i].replace("</td>", "", 1)
    ingest_or_user_error(parse_html("<td".join(cells), "mangled.html"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.from_regex(r"[0-9 ]{0,11}", fullmatch=True), min_size=25, max_size=25))
def test_flattened_digit_runs_never_crash(runs):
    from xxgk.formats import get_format

    fmt = get_format("2021")
    body = "".join(f"{r.label}{d}" for r, d in zip(fmt.table("t3").rows, runs))
    text = f"示例县2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况{body}\n四、政府信息公开行政复议、行政诉讼情况"
    got = ingest_or_user_error(parse_text(text, "flat.txt"))
    if got is not None:
        for p in got.report.provenance.values():
            assert 0.0 <= p.confidence <= 1.0


def test_rowspan_overrun_leaves_unfound_cells_uncertain():
    """Regression (found by the fuzzer): a rowspan running past the table made the 2019 「（六）其他处理」 cells
    look read (no source, not uncertain) when no 2021-style sub-row had a value for them."""
    cells = official_html(synthetic("2019")).decode("utf-8").split("<td")
    cells[63] = " rowspan='400'" + cells[63]
    got = ingest_or_user_error(parse_html("<td".join(cells), "mangled.html"))
    assert got is not None
    unfound = [cid for cid, p in got.report.provenance.items() if not p.source]
    assert unfound and all(got.report.provenance[c].uncertain for c in unfound)


# Bytes- and XML-level fuzzing of real small files (the suite's generated reports): every reader ends in a
# result or a UserError, never another exception. Bounded for CI: 150 examples per bytes fuzzer and 40 per XML
# part (most of them well-formed, so they reach python-docx/openpyxl and the pipeline), under 60 s in total.
FILE_FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip


@functools.cache
def _real_files() -> dict[str, bytes]:
    import tempfile

    from tests.ingest import bombs

    d = Path(tempfile.mkdtemp(prefix="xxgk-fuzz-"))
    out = {"docx": bombs.real_docx(d / "r.docx").read_bytes(), "xlsx": bombs.real_xlsx(d / "r.xlsx").read_bytes(),
           "html": official_html(synthetic("2021"))}  # fmt: skip
    shutil.rmtree(d, ignore_errors=True)
    return out


def _members(kind: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(_real_files()[kind])) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return bio.getvalue()


def _mutate_bytes(data: bytes, draw) -> bytes:
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "dup", "zero", "insert"]))
        i = draw(st.integers(0, max(len(b) - 1, 0)))
        n = draw(st.integers(1, 64))
        if op == "flip" and b:
            b[i] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del b[i:i + n]
        elif op == "dup":
            b[i:i] = b[i:i + n]
        elif op == "zero":
            b[i:i + n] = b"\0" * len(b[i:i + n])
        else:
            b[i:i] = draw(st.binary(min_size=1, max_size=16))
    return bytes(b)


XML_SNIPPETS = [b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"&amp;", b"<", b">", b"</w:tc>", b"<w:tc>", b"</w:tr>",
                b"<w:gridSpan w:val='999999'/>", b"<w:gridSpan w:val='-1'/>", b"<w:vMerge/>", b"<w:vMerge w:val='restart'/>",
                b"<w:tbl>", b"</w:tbl>", b"\xff\xfe", b"\x00", b"<![CDATA[", b"]]>", b"<?pi x?>", b"xmlns:w='urn:x'",
                b"<c r='A1' t='s'><v>99999</v></c>", b"<c r='ZZZZ9999999'>", b"<v>1e400</v>", b"<sheetData/>",
                b"<w:sdt><w:sdtContent>", b"</w:sdtContent></w:sdt>", b"\xe4\xb8"]  # fmt: skip


def _mutate_xml(xml: bytes, draw) -> bytes:
    b = xml
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete_tag", "swap_tag", "cut"]))
        tags = [m.start() for m in re.finditer(rb"<", b)] or [0]
        i = tags[draw(st.integers(0, len(tags) - 1))]
        if op == "insert":
            b = b[:i] + draw(st.sampled_from(XML_SNIPPETS)) + b[i:]
        elif op == "delete_tag":
            j = b.find(b">", i)
            b = b[:i] + b[j + 1:] if j > 0 else b
        elif op == "swap_tag":
            j = b.find(b">", i)
            k = tags[draw(st.integers(0, len(tags) - 1))]
            if j > 0:
                tag = b[i:j + 1]
                b = b[:i] + b[j + 1:]
                b = b[:k] + tag + b[k:]
        else:
            b = b[:i]
    return b


ATTR_VALUES = ["0", "-1", "999999999", "x", "", "1e400", "NaN", "restart", "continue", "ZZ9", "A0", "\u4e00"]


def _mutate_tree(xml: bytes, draw) -> bytes:
    """Well-formed but out-of-schema XML: elements dropped, duplicated, moved or emptied; attribute values
    replaced; text replaced (what gets past the XML parser into python-docx / openpyxl)."""
    from lxml import etree

    root = etree.fromstring(xml)
    els = list(root.iter())
    for _ in range(draw(st.integers(1, 6))):
        el = els[draw(st.integers(0, len(els) - 1))]
        op = draw(st.sampled_from(["drop", "dup", "move", "empty", "attr", "text"]))
        parent = el.getparent()
        if op == "drop" and parent is not None:
            parent.remove(el)
        elif op == "dup" and parent is not None:
            parent.insert(parent.index(el), etree.fromstring(etree.tostring(el)))
        elif op == "move" and parent is not None:
            target = els[draw(st.integers(0, len(els) - 1))]
            if el not in target.iterancestors() and target is not el:
                parent.remove(el)
                target.append(el)
        elif op == "empty":
            for child in list(el):
                el.remove(child)
        elif op == "attr" and el.attrib:
            key = draw(st.sampled_from(sorted(el.attrib)))
            el.set(key, draw(st.sampled_from(ATTR_VALUES)))
        elif op == "text":
            el.text = draw(st.sampled_from(["", "12", "-3", "1e400", "/", "=SUM(A1)", "x" * 300, "\u200b"]))
        els = list(root.iter())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _read_file(tmp_path: Path, name: str, data: bytes) -> None:
    from xxgk.ingest.command import read_any

    p = tmp_path / name
    p.write_bytes(data)
    try:
        got = read_any(str(p))
    except UserError as exc:
        assert str(exc).startswith(str(p)), exc
        return
    if name.endswith(".xlsx"):
        return
    assert got.report.fmt.cell_ids()


@pytest.mark.parametrize("kind", ["docx", "xlsx", "html"])
@FILE_FUZZ
@given(data=st.data())
def test_mutated_bytes_never_crash(tmp_path, kind, data):
    _read_file(tmp_path, f"fuzz.{kind}", _mutate_bytes(_real_files()[kind], data.draw))


@pytest.mark.parametrize(("kind", "part"), [("docx", "word/document.xml"), ("docx", "[Content_Types].xml"),
                                            ("xlsx", "xl/worksheets/sheet1.xml"), ("xlsx", "xl/workbook.xml"),
                                            ("xlsx", "xl/worksheets/sheet6.xml"), ("html", None)])  # fmt: skip
@settings(FILE_FUZZ, max_examples=40)
@given(data=st.data())
def test_mutated_xml_never_crashes(tmp_path, kind, part, data):
    if kind == "html":
        blob = _mutate_xml(_real_files()["html"], data.draw)
    else:
        members = _members(kind)
        tree_level = data.draw(st.integers(0, 3)) > 0  # mostly well-formed: past the XML parser
        if tree_level:
            members[part] = _mutate_tree(members[part], data.draw)
        elif data.draw(st.booleans()):
            members[part] = _mutate_xml(members[part], data.draw)
        else:
            members[part] = _mutate_bytes(members[part], data.draw)
        blob = _zip(members)
    _read_file(tmp_path, f"fuzz.{kind}", blob)
