"""Bad-input catalogue, params YAML: every case exits 2 through ``xxgk export`` with file:line, the label and
what was expected — never a traceback, never a silently wrong value."""

from __future__ import annotations

import pytest

from tests.catalogue.util import assert_refused

BASE = "agency: {id: a, name: 某局, level: 县级以上人民政府部门}\nyear: 2021\n"
T2 = "table2:\n  fees: [{}]\n"  # line 4: 表二 行政事业性收费 amount (money)
T3 = "table3:\n  new_received: [{}, 0, 0, 0, 0, 0, 0]\n"  # line 4: 表三 自然人 (count)
MONEY = "「表二 / 第二十条第（八）项 / 行政事业性收费 / 本年收费金额（单位：万元）」"
NATURAL = "「表三 / 一、本年新收政府信息公开申请数量 / 自然人」"
ROW = "{label: 甲, indent: 0, values: [1]}"


def ext(id="e1", title="表", after="s2", columns="[指标, 数]", row=ROW, extra=""):
    """One extension table after BASE: '- id' on line 4, columns on line 7, the first row on line 9."""
    return (f"extensions:\n  - id: {id}\n    title: {title}\n    after: {after}\n    columns: {columns}\n"
            f"    rows:\n      - {row}\n{extra}")


def prov(body):
    """A provenance entry after BASE: the cell on line 4."""
    return f"provenance:\n  t3.new_received.natural_person: {body}\n"


def bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return BASE + "\n".join(lines) + "\n"


CASES = {
    # extension tables: wrong types, absurd values, silently-wrong shapes
    "indent-text": (BASE + ext(row="{label: 甲, indent: abc, values: [1]}"), 9, "indent: expected a whole number 0–5, got 'abc'"),
    "indent-list": (BASE + ext(row="{label: 甲, indent: [1, 2], values: [1]}"), 9, "indent: expected a whole number 0–5, got a list"),
    "indent-huge": (BASE + ext(row="{label: 甲, indent: 99, values: [1]}"), 9, "expected a whole number 0–5, got '99'"),
    "indent-negative": (BASE + ext(row="{label: 甲, indent: -1, values: [1]}"), 9, "expected a whole number 0–5"),
    "indent-bool": (BASE + ext(row="{label: 甲, indent: true, values: [1]}"), 9, "expected a whole number 0–5, got 'true'"),
    "extensions-number": (BASE + "extensions: 5\n", 3, "extensions: expected a list of tables, got '5'"),
    "extensions-mapping": (BASE + "extensions: {a: 1}\n", 3, "extensions: expected a list of tables, got a mapping"),
    "extensions-too-many": (BASE + "extensions:\n" + "  - {title: t, columns: [a], rows: []}\n" * 51, 4, "51 tables; at most 50"),
    "columns-mapping": (BASE + ext(columns="[{a: 1}, 数]"), 7, "extensions[0].columns[0]: expected a text, got a mapping"),
    "columns-empty": (BASE + ext(columns="[]"), 7, "extensions[0].columns: expected the list of column headers"),
    "columns-number": (BASE + ext(columns="5"), 7, "extensions[0].columns: expected the list of column headers"),
    "columns-too-many": (BASE + ext(columns="[" + ", ".join("c" * 21) + "]"), 7, "21 columns; at most 20"),
    "numbered-bad-date": (BASE + ext(extra="    numbered: 2021-02-30\n"), 10, "numbered: expected true or false, got '2021-02-30'"),
    "numbered-number": (BASE + ext(extra="    numbered: 2\n"), 10, "numbered: expected true or false, got '2'"),
    "row-too-many-values": (BASE + ext(row="{label: 甲, values: [1, 2]}"), 9, "「甲」: expected 1 values (数), got 2"),
    "row-too-few-values": (BASE + ext(columns="[指标, 单位, 数]", row="{label: 甲, values: [1]}"), 9, "expected 2 values (单位、数), got 1"),
    "row-values-mapping": (BASE + ext(row="{label: 甲, values: {a: 1}}"), 9, "「甲」: expected a list of 1 values (数), got a mapping"),
    "row-value-list": (BASE + ext(row="{label: 甲, values: [[1]]}"), 9, "values[0]: expected a number, a text or null, got a list"),
    "row-value-mapping": (BASE + ext(row="{label: 甲, values: [{a: 1}]}"), 9, "values[0]: expected a number, a text or null, got a mapping"),
    "row-value-huge": (BASE + ext(row="{label: 甲, values: [" + "9" * 40 + "]}"), 9, "values[0]: expected a whole number of at most 10 digits"),
    "row-label-missing": (BASE + ext(row="{values: [1]}"), 9, "rows[0].label: a text is required"),
    "row-label-list": (BASE + ext(row="{label: [1], values: [1]}"), 9, "rows[0].label: expected a text, got a list"),
    "row-not-mapping": (BASE + ext(row="5"), 9, "extensions[0].rows[0]: expected a mapping of keys, got '5'"),
    "rows-number": (BASE + ext().replace("    rows:\n      - " + ROW, "    rows: 5"), 8, "extensions[0].rows: expected a list of rows, got '5'"),
    "rows-too-many": (BASE + ext().replace("      - " + ROW + "\n", ("      - " + ROW + "\n") * 1001), 9, "1001 rows; at most 1000"),
    "after-unknown": (BASE + ext(after="s9"), 6, "extensions[0].after: expected a section id"),
    "after-list": (BASE + ext(after="[s2]"), 6, "extensions[0].after: expected a text, got a list"),
    "ext-id-path": (BASE + ext(id='"../x"'), 4, "extensions[0].id: '../x' is not a slug", "never a path"),
    "ext-title-missing": (BASE + ext(title="null"), 5, "extensions[0].title: a text is required"),
    "ext-title-mapping": (BASE + ext(title="{a: 1}"), 5, "extensions[0].title: expected a text, got a mapping"),
    "ext-value-control": (BASE + ext(row='{label: 甲, values: ["a\\x07"]}'), 9, "control character U+0007"),
    # provenance
    "confidence-word": (BASE + prov("{source: p1, confidence: high}"), 4, "confidence: expected a number between 0 and 1 (e.g. 0.85), got 'high'"),
    "confidence-range": (BASE + prov("{source: p1, confidence: 1.5}"), 4, "confidence: expected a number between 0 and 1"),
    "confidence-nan": (BASE + prov("{source: p1, confidence: .nan}"), 4, "confidence: expected a number between 0 and 1"),
    "confidence-list": (BASE + prov("{source: p1, confidence: [1]}"), 4, "got a list"),
    "uncertain-word": (BASE + prov("{source: p1, uncertain: perhaps}"), 4, "uncertain: expected true or false, got 'perhaps'"),
    "provenance-list": (BASE + "provenance: [1]\n", 3, "provenance: expected a mapping of keys, got a list"),
    "provenance-unknown-cell": (BASE + "provenance:\n  t9.x.y: {source: a}\n", 4, "provenance: unknown cell id 't9.x.y'"),
    "provenance-entry-number": (BASE + prov("5"), 4, "provenance.t3.new_received.natural_person: expected a mapping of keys"),
    "provenance-source-long": (BASE + prov("{source: " + "x" * 2001 + "}"), 4, "2001 characters long; at most 2000"),
    # table cells: numbers out of bounds or not numbers
    "count-5000-digits": (BASE + T3.format("9" * 5000), 4, NATURAL, "5000 characters long; at most 200"),
    "count-too-big": (BASE + T3.format("1000000001"), 4, NATURAL, "expected at most 1,000,000,000"),
    "count-fraction": (BASE + T3.format("1.5"), 4, NATURAL, "expected a whole number, got 1.5"),
    "count-word": (BASE + T3.format("many"), 4, NATURAL, "expected a non-negative whole number, or / for blank, got 'many'"),
    "count-list": (BASE + T3.format("[1]"), 4, NATURAL, "got a list"),
    "count-zero-width": (BASE + T3.format('"1\\u200b"'), 4, NATURAL, "zero-width character U+200B"),
    "count-note-list": (BASE + T3.format("{value: 1, note: [1]}"), 4, "note: expected a text, got a list"),
    "count-value-list": (BASE + T3.format("{value: [1]}"), 4, NATURAL, "got a list"),
    "count-cell-key": (BASE + T3.format("{valeu: 1}"), 4, "unknown key 'valeu'; did you mean 'value'?"),
    "money-inf": (BASE + T2.format(".inf"), 4, MONEY, "expected an amount in 万元"),
    "money-infinity": (BASE + T2.format("Infinity"), 4, MONEY, "expected an amount in 万元", "got 'Infinity'"),
    "money-nan": (BASE + T2.format(".nan"), 4, MONEY, "expected an amount in 万元"),
    "money-1e400": (BASE + T2.format("1e400"), 4, MONEY, "expected an amount in 万元", "got '1e400'"),
    "money-negative": (BASE + T2.format("-5"), 4, MONEY, "expected a non-negative amount, got -5"),
    "money-too-big": (BASE + T2.format("10000000000"), 4, MONEY, "expected at most 1,000,000,000"),
    "table-number": (BASE + "table3: 5\n", 3, "table3 (format 2021): expected a mapping of keys, got '5'"),
    "table-row-number": (BASE + "table3:\n  new_received: 5\n", 4, "expected a list of 7 values"),
    "table-row-unknown": (BASE + "table3:\n  new_recieved: [0]\n", 4, "unknown key 'new_recieved'; did you mean 'new_received'?"),
    # year and format
    "year-10e30": ("agency: {id: a, name: b}\nyear: " + "1" + "0" * 30 + "\n", 2, "year: expected a report year 2019–2100", "31-digit number"),
    "year-float-text": ("agency: {id: a, name: b}\nyear: 1e400\n", 2, "year: expected a report year like 2020, got '1e400'"),
    "year-negative": ("agency: {id: a, name: b}\nyear: -5\n", 2, "year: expected a report year 2019–2100"),
    "year-far": ("agency: {id: a, name: b}\nyear: 2101\n", 2, "year: expected a report year 2019–2100", "got 2101"),
    "year-before-formats": ("agency: {id: a, name: b}\nyear: 2018\n", 2, "predates the national formats"),
    "year-bool": ("agency: {id: a, name: b}\nyear: true\n", 2, "year: expected a report year like 2020, got 'true'"),
    "year-list": ("agency: {id: a, name: b}\nyear: [2021]\n", 2, "year: expected a report year like 2020, got a list"),
    "year-missing": ("agency: {id: a, name: b}\n", 1, "year: missing"),
    "format-unknown": (BASE + 'format: "2030"\n', 3, "format: unknown format '2030'"),
    "format-list": (BASE + "format: [1]\n", 3, "format: expected a text, got a list"),
    # agency
    "agency-id-path": ("agency: {id: ../../etc/passwd, name: b}\nyear: 2021\n", 1, "agency.id: '../../etc/passwd' is not a slug", "never a path"),
    "agency-id-space": ("agency: {id: yuyao commerce, name: b}\nyear: 2021\n", 1, "agency.id: 'yuyao commerce' is not a slug"),
    "agency-id-list": ("agency: {id: [1], name: b}\nyear: 2021\n", 1, "agency.id: expected a text, got a list"),
    "agency-number": ("agency: 5\nyear: 2021\n", 1, "agency: expected a mapping of keys, got '5'"),
    "agency-missing": ("year: 2021\n", 1, "agency: missing"),
    "agency-level-unknown": ("agency: {id: a, name: b, level: 县政府}\nyear: 2021\n", 1, "agency.level: unknown level '县政府'"),
    "agency-name-zero-width": ('agency: {id: a, name: "某\\u200b局"}\nyear: 2021\n', 1, "agency.name 机关名称", "zero-width character U+200B at character 2"),
    "agency-name-bidi": ('agency: {id: a, name: "某\\u202e局"}\nyear: 2021\n', 1, "agency.name 机关名称", "bidirectional-override character U+202E"),
    "agency-name-control": ('agency: {id: a, name: "某\\a局"}\nyear: 2021\n', 1, "agency.name 机关名称", "control character U+0007"),
    "agency-name-240": (f"agency: {{id: a, name: {'局' * 240}}}\nyear: 2021\n", 1, "agency.name 机关名称", "240 characters long; at most 100"),
    "agency-name-missing": ("agency: {id: a}\nyear: 2021\n", 1, "agency.name 机关名称: a text is required"),
    "agency-parent-list": ("agency: {id: a, name: b, parent: [x]}\nyear: 2021\n", 1, "agency.parent: expected a text, got a list"),
    # dates, signature, narrative
    "published-impossible": (BASE + "published: 2021-02-30\n", 3, "published: expected a date like 2021-01-20"),
    "published-list": (BASE + "published: [1]\n", 3, "published: expected a date like 2021-01-20"),
    "signature-date": (BASE + "signature: {agency: x, date: soon}\n", 3, "signature.date 落款日期: expected a date"),
    "signature-number": (BASE + "signature: 5\n", 3, "signature: expected a mapping of keys"),
    "contact-long": (BASE + "contact: " + "x" * 2001 + "\n", 3, "contact: the text is 2001 characters long; at most 2000"),
    "section-mapping": (BASE + "sections:\n  s1: {a: 1}\n", 4, "sections.s1: unknown key 'a'"),
    "section-list": (BASE + "sections:\n  s1: [1, 2]\n", 4, "sections.s1: expected a text, got a list"),
    "section-title-list": (BASE + "sections:\n  s1: {title: [1, 2], text: x}\n", 4, "sections.s1.title: expected a text, got a list"),
    "section-unknown": (BASE + "sections:\n  s7: x\n", 4, "sections: unknown key 's7'"),
    "section-too-long": (BASE + "sections:\n  s1: " + "字" * 100_001 + "\n", 4, "100001 characters long; at most 100000"),
    "section-bidi": (BASE + 'sections:\n  s1: "正文\\u2066"\n', 4, "sections.s1", "U+2066"),
    "preamble-mapping": (BASE + "preamble: {a: 1}\n", 3, "preamble: expected a text, got a mapping"),
    # the file as a whole
    "top-list": ("- 1\n- 2\n", 1, "top level: expected a mapping of keys, got a list"),
    "top-unknown-key": (BASE + "tabel3: {}\n", 3, "top level: unknown key 'tabel3'; did you mean 'table3'?"),
    "key-twice": (BASE + "year: 2021\n", 3, "key 'year' given twice"),
    "key-complex": (BASE + "? [a]\n: 1\n", 3, "top level: expected a plain key, got a list"),
    "yaml-syntax": ("agency: [\n", 2, "not valid YAML"),
    "yaml-alias-bomb": (bomb(), 8, "YAML aliases expand to more than the limit of 200,000 nodes"),
    "yaml-deep": (BASE + "x: " + "[" * 70 + "]" * 70 + "\n", 3, "YAML nested deeper than the limit of 64 levels"),
    "yaml-100k-brackets": (BASE + "x: " + "[" * 100_000 + "\n", 3, "YAML nested deeper than the limit of 64 levels"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_params(name, tmp_path, capsys):
    text, line, *parts = CASES[name]
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert_refused(capsys, ["export", path], f"{path}:{line}: ", *parts)


@pytest.mark.parametrize("name,data,parts", [
    ("not-utf8", "agency: 某局\n".encode("gbk"), ["not UTF-8 text"]),
    ("empty", b"", ["the file is empty"]),
    ("too-big", b"# " + b"x" * 5_000_001, ["5,000,003 bytes; a params file may have at most 5,000,000"]),
    ("missing", None, ["cannot read"]),
])  # fmt: skip
def test_bad_params_file(name, data, parts, tmp_path, capsys):
    path = tmp_path / "p.yaml"
    if data is not None:
        path.write_bytes(data)
    assert_refused(capsys, ["export", path], str(path), *parts)


def test_bomb_is_refused_fast(tmp_path, capsys):
    import time

    path = tmp_path / "p.yaml"
    path.write_text(bomb(9), encoding="utf-8")
    t0 = time.perf_counter()
    assert_refused(capsys, ["export", path], "the limit of 200,000 nodes")
    assert time.perf_counter() - t0 < 5
