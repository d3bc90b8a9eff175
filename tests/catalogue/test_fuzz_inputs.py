"""Structure-level fuzzing of the params loader and the interchange reader: trees of the right shape with wrong
types and absurd values either load into a report that writes and reloads, or give ParamsError — nothing else."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xxgk.formats import get_format
from xxgk.interchange import from_document, to_document
from xxgk.model import SECTION_IDS
from xxgk.params import ParamsError, load_params, loads_params
from xxgk.params_write import dump_params

SAMPLE = "params/2020/yuyao-commerce.yaml"
FMT = get_format("2021")
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**40),
    st.floats(), texts, st.dates(), st.sampled_from(["/", "-", "12万元", "1e400", "Infinity", "s2", "a-b", "2021-02-30"]),
)  # fmt: skip
trees = st.recursive(leaves, lambda c: st.lists(c, max_size=4) | st.dictionaries(texts, c, max_size=4), max_leaves=12)
row_ids = st.sampled_from([r.id for r in FMT.table("t3").rows])
cell_ids = st.sampled_from(FMT.cell_ids())


def _opt(**fields):
    return st.fixed_dictionaries({}, optional={k: st.one_of(trees, v) for k, v in fields.items()})


ext_rows = _opt(label=texts, indent=st.integers(-3, 9), values=st.lists(leaves, max_size=3))
extensions = _opt(id=texts, title=texts, after=st.sampled_from(SECTION_IDS), numbered=st.booleans(),
                  columns=st.lists(texts, max_size=3), rows=st.lists(ext_rows, max_size=3))  # fmt: skip
params_docs = st.fixed_dictionaries(
    {
        "agency": st.one_of(trees, _opt(id=st.sampled_from(["a", "../x", "A B"]), name=texts, level=texts, parent=texts)),
        "year": st.one_of(trees, st.sampled_from([2019, 2021, 2100, 10**30])),
    },
    optional={
        "format": st.one_of(trees, st.sampled_from(["2019", "2021"])),
        "published": st.one_of(trees, st.dates()),
        "contact": trees,
        "signature": st.one_of(trees, _opt(agency=texts, date=st.dates())),
        "preamble": st.one_of(trees, texts),
        "sections": st.one_of(trees, st.dictionaries(st.sampled_from(SECTION_IDS), st.one_of(texts, trees), max_size=3)),
        "table3": st.one_of(trees, st.dictionaries(row_ids, st.lists(leaves, min_size=6, max_size=8), max_size=3)),
        "extensions": st.one_of(trees, st.lists(extensions, max_size=2)),
        "provenance": st.one_of(trees, st.dictionaries(cell_ids, _opt(source=texts, confidence=st.floats(),
                                                                      uncertain=st.booleans(), reason=texts))),
    },
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=params_docs)
@example(doc={"agency": {"id": "a", "name": "b"}, "year": 2021, "extensions": [{"title": "t", "columns": [{"a": 1}],
                                                                                 "rows": []}]})  # fmt: skip
@example(doc={"agency": {"id": "a", "name": "b"}, "year": 2021, "provenance": [1]})
@example(doc={"agency": {"id": "a", "name": "b"}, "year": dt.date(2021, 1, 1)})
def test_params_loader_never_crashes(doc):
    text = yaml.safe_dump(doc, allow_unicode=True)
    try:
        report = loads_params(text, "fuzz.yaml")
    except ParamsError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)
        return
    again = loads_params(dump_params(report), "fuzz.yaml")  # what loads also writes and reloads
    again.source = report.source
    assert again == report


PATHS = [
    ("year",), ("format",), ("agency",), ("agency", "id"), ("agency", "name"), ("agency", "level"), ("published",),
    ("cells",), ("cells", "t3.granted.total"), ("cells", "t2.procurement.amount"), ("cell_text",),
    ("cell_text", "t3.granted.total"), ("sections",), ("sections", "s1"), ("section_titles",), ("extensions",),
    ("extensions", 0, "columns"), ("extensions", 0, "rows"), ("extensions", 0, "rows", 0, "values"),
    ("extensions", 0, "rows", 0, "indent"), ("extensions", 0, "numbered"), ("signature",), ("signature", "date"),
    ("provenance",), ("provenance", "t3.granted.total"), ("schema",),
]  # fmt: skip


@pytest.fixture(scope="module")
def document():
    return to_document(load_params(SAMPLE))


def _put(doc, path, value) -> None:
    target = doc
    for key in path[:-1]:
        if isinstance(target, dict) and key in target:
            target = target[key]
        elif isinstance(target, list) and isinstance(key, int) and key < len(target):
            target = target[key]
        else:
            return
    if isinstance(target, dict):
        target[path[-1]] = value
    elif isinstance(target, list) and isinstance(path[-1], int) and path[-1] < len(target):
        target[path[-1]] = value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), trees), min_size=1, max_size=4))
@example(changes=[(("provenance",), [1])])
@example(changes=[(("cell_text",), [1, 2])])
@example(changes=[(("cells", "t2.procurement.amount"), float("nan"))])
@example(changes=[(("extensions", 0, "rows", 0, "indent"), "abc")])
def test_interchange_reader_never_crashes(document, changes):
    doc = json.loads(json.dumps(document))
    for path, value in changes:
        _put(doc, path, value)
    try:
        report = from_document(doc, "fuzz.json")
    except ParamsError as exc:
        assert exc.problems and all(p.file == "fuzz.json" for p in exc.problems)
        return
    again = from_document(json.loads(json.dumps(to_document(report))), "fuzz.json")
    assert again == report
