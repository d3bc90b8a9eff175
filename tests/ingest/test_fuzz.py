"""Arbitrary text and mangled tables never crash the ingester: a result, or a clear UserError."""

from __future__ import annotations

import os
from pathlib import Path

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
