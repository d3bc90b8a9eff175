"""The seed (余姚市商务局 2020, a Word export as text) ingests to exactly its hand-encoded params file."""

from __future__ import annotations

import datetime as dt
import re

from xxgk.ingest.pipeline import ingest_doc
from xxgk.ingest.text import parse_text


def ingest_seed(seed_text: str):
    return ingest_doc(parse_text(seed_text, "seed.txt"), agency_id="yuyao-commerce")


def test_every_cell_matches_the_params_file(seed_text, sample):
    got = ingest_seed(seed_text)
    r = got.report
    assert (r.year, r.format_id, r.agency.name, r.agency.id) == (2020, "2019", "余姚市商务局", "yuyao-commerce")
    assert set(r.cells) == set(sample.cells)
    for cid in sample.fmt.cell_ids():
        assert r.cells[cid] == sample.cells[cid], cid
    # 「428.8689万元」 keeps its text; the value is in 万元
    assert r.cells["t2.procurement.amount"].raw == "428.8689万元"
    assert got.uncertain_cells == []
    assert got.doubts == []


def test_provenance_points_at_lines(seed_text):
    r = ingest_seed(seed_text).report
    assert r.provenance["t2.licensing.decisions"].source == "line 39"
    assert r.provenance["t2.procurement.amount"].source == "line 81"
    # 「[bookmark: _GoBack]0」 is a Word artefact before the first 表四 value
    assert r.provenance["t4.review.upheld"].source == "line 439"
    assert all(re.fullmatch(r"line \d+", p.source) and p.confidence == 1.0 for p in r.provenance.values())


def test_sections_extension_and_metadata(seed_text, sample):
    r = ingest_seed(seed_text).report
    # the inserted local section 三 shifts the numbers (「4、」「五、」「六、」「七、」) but not the mapping
    assert r.sections == sample.sections
    assert (
        r.section_titles
        == sample.section_titles
        == {
            "s5": "政府信息公开工作存在的主要问题及改进措施",
            "s6": "其它需要报告的事项",
        }
    )
    assert r.preamble == sample.preamble
    assert r.extensions == sample.extensions
    ext = r.extensions[0]
    assert (ext.id, ext.after, ext.columns) == ("platform", "s2", ["统计指标", "单位", "统计数"])
    assert [row.indent for row in ext.rows] == [1, 1, 2, 2, 2, 2, 1, 1, 2, 3, 2, 3, 2, 2]
    assert r.published == dt.date(2021, 1, 20)
    assert r.signature == sample.signature
    assert r.contact == sample.contact


def test_agency_id_is_derived_from_the_name(seed_text):
    r = ingest_doc(parse_text(seed_text, "seed.txt")).report
    assert r.agency.id == "yuyaoshi-shangwuju"


def test_format_follows_the_labels_when_the_year_disagrees(seed_text):
    got = ingest_doc(parse_text(seed_text, "seed.txt"), year=2022)
    assert (got.report.year, got.report.format_id) == (2022, "2019")
    assert "the document says report year 2020; using --year 2022" in got.doubts
    assert any(
        "use the 2019 format's labels although report year 2022 prescribes the 2021 format" in d for d in got.doubts
    )


def test_the_seed_as_one_run_on_line(seed_text, sample):
    """The seed's text collapsed onto one line (a portal page saved as text): 表三 and 表四 exact, every 表二 cell
    right or flagged, sections found despite the shifted numbering, the 落款 split off the last sentence."""
    from tests.ingest.util import one_line

    got = ingest_seed(one_line(seed_text))
    r = got.report
    wrong = {cid for cid in sample.fmt.cell_ids() if r.cells[cid] != sample.cells[cid]}
    assert wrong <= set(got.uncertain_cells)
    # 「10104」 (1|0|104 or 10|10|4 …) and 「38428.8689万元」 have several splits that add up: flagged, not guessed
    assert sorted(got.uncertain_cells) == sorted(
        [f"t2.licensing.{c}" for c in ("prior_items", "change", "decisions")]
        + ["t2.procurement.projects", "t2.procurement.amount"]
    )
    assert all(r.cells[cid] == sample.cells[cid] for cid in sample.fmt.cell_ids("t3") + sample.fmt.cell_ids("t4"))
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    for sid in ("s1", "s5", "s6"):
        assert squash(r.section_text(sid)) == squash(sample.section_text(sid)), sid
    assert r.section_titles == sample.section_titles
    assert r.signature == sample.signature
    # the local table 三、公开平台建设和信息发布情况 cannot be read from run-on text: said, not lost silently
    assert r.extensions == []
    assert any("公开平台建设和信息发布情况" in d and "local section" in d for d in got.doubts)
