"""The built HTML: every table value, the official merged-cell layout, headings, extensions, signature."""

from __future__ import annotations

import pytest
import yaml

from tests.render.reports import PINGTAN_2019_TABLES, PINGTAN_2022_TABLES, ROOT
from xxgk.formats import get_format
from xxgk.formats.layout import table_grid
from xxgk.params import loads_params
from xxgk.render.tables import official_table_html

pytestmark = pytest.mark.slow
TABLE_KEYS = {"table2": "t2", "table3": "t3", "table4": "t4"}


def _expected(tables: dict, fmt_id: str) -> dict[str, str]:
    """cell id → printed text, from a params file's table rows (values in official column order)."""
    fmt = get_format(fmt_id)
    out = {}
    for key, tid in TABLE_KEYS.items():
        for row_id, values in tables[key].items():
            for spec, v in zip(fmt.row_cells(tid, row_id), values):
                out[spec.id] = "" if v is None else str(v)
    return out


def _values(soup, table_id: str) -> dict[str, str]:
    table = soup.select_one(f"table.official.{table_id}")
    return {td["data-cell"]: td.get_text() for td in table.select("td[data-cell]")}


def _th(soup, table_id: str, text: str):
    found = [th for th in soup.select(f"table.{table_id} th") if th.get_text() == text]
    assert len(found) == 1, (table_id, text, len(found))
    return found[0]


def _spans(th) -> tuple[int, int]:
    return int(th.get("rowspan", 1)), int(th.get("colspan", 1))


def _coverage(table) -> tuple[int, int]:
    """Place every cell like a browser does; fail on overlap or holes; return (rows, columns)."""
    taken: set[tuple[int, int]] = set()
    rows = table.select("tr")
    width = None
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["th", "td"], recursive=False):
            while (r, c) in taken:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    assert (r + dr, c + dc) not in taken
                    taken.add((r + dr, c + dc))
            c += cs
        row_width = max(col for (rr, col) in taken if rr == r) + 1
        width = width or row_width
        assert row_width == width, f"row {r} is {row_width} wide, not {width}"
    assert len(taken) == len(rows) * width
    return len(rows), width


def test_every_sample_value_printed(sample_soup):
    data = yaml.safe_load((ROOT / "params/2020/yuyao-commerce.yaml").read_text(encoding="utf-8"))
    expected = _expected(data, "2019")
    got = {**_values(sample_soup, "t2"), **_values(sample_soup, "t3"), **_values(sample_soup, "t4")}
    assert got == expected
    assert len(got) == 22 + 161 + 15
    assert got["t2.licensing.decisions"] == "104"
    assert got["t2.procurement.projects"] == "38"
    assert got["t2.procurement.amount"] == "428.8689万元"


def test_every_2021_value_printed(pingtan_soup):
    expected = _expected(yaml.safe_load(PINGTAN_2022_TABLES), "2021")
    got = {**_values(pingtan_soup, "t2"), **_values(pingtan_soup, "t3"), **_values(pingtan_soup, "t4")}
    assert got == expected
    assert len(got) == 10 + 175 + 15
    assert got["t2.licensing.decisions"] == "10690"
    assert got["t2.fees.amount"] == "9116.36"
    assert got["t3.new_received.total"] == "74"
    assert got["t3.total_handled.total"] == "75"


def test_2019_merged_cells(sample_soup):
    s = sample_soup
    assert _spans(_th(s, "t3", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")) == (3, 3)
    assert _spans(_th(s, "t3", "申请人情况")) == (1, 7)
    assert _spans(_th(s, "t3", "自然人")) == (2, 1)
    assert _spans(_th(s, "t3", "法人或其他组织")) == (1, 5)
    assert _spans(_th(s, "t3", "总计")) == (2, 1)
    assert _spans(_th(s, "t3", "三、本年度办理结果")) == (20, 1)
    assert _spans(_th(s, "t3", "（三）不予公开")) == (8, 1)
    assert _spans(_th(s, "t3", "（四）无法提供")) == (3, 1)
    assert _spans(_th(s, "t3", "（五）不予处理")) == (5, 1)
    assert _spans(_th(s, "t3", "（六）其他处理")) == (1, 2)
    assert _spans(_th(s, "t3", "一、本年新收政府信息公开申请数量")) == (1, 3)
    assert _spans(_th(s, "t4", "行政复议")) == (1, 5)
    assert _spans(_th(s, "t4", "行政诉讼")) == (1, 10)
    assert _spans(_th(s, "t4", "未经复议直接起诉")) == (1, 5)
    assert _spans(_th(s, "t4", "复议后起诉")) == (1, 5)
    assert _spans(_th(s, "t2", "第二十条第（九）项")) == (1, 4)
    t2_headers = [th for th in s.select("table.t2 th") if th.get_text() == "采购总金额"]
    assert _spans(t2_headers[0]) == (1, 2)  # the block has two value columns on a four-column grid


def test_2021_merged_cells(pingtan_soup):
    s = pingtan_soup
    assert _spans(_th(s, "t3", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")) == (3, 3)
    assert _spans(_th(s, "t3", "三、本年度办理结果")) == (22, 1)
    assert _spans(_th(s, "t3", "（三）不予公开")) == (8, 1)
    assert _spans(_th(s, "t3", "（六）其他处理")) == (3, 1)
    assert _spans(_th(s, "t4", "行政诉讼")) == (1, 10)
    decisions = [th for th in s.select("table.t2 th") if th.get_text() == "本年处理决定数量"]
    assert [_spans(th) for th in decisions] == [(1, 3), (1, 3)]
    assert _spans(_th(s, "t2", "本年收费金额（单位：万元）")) == (1, 3)
    assert [td["colspan"] for td in s.select('td[data-cell="t2.licensing.decisions"]')] == ["3"]


@pytest.mark.parametrize("which", ["sample", "pingtan"])
def test_grids_complete_no_subtotals(which, builds, sample_soup, pingtan_soup):
    soup = sample_soup if which == "sample" else pingtan_soup
    fmt = get_format("2019" if which == "sample" else "2021")
    for tid in ("t2", "t3", "t4"):
        table = soup.select_one(f"table.official.{tid}")
        grid = table_grid(fmt, tid)
        assert _coverage(table) == (grid.n_rows, grid.n_cols)
        assert len(table.select("thead tr")) == grid.header_rows
    t3_body_rows = soup.select("table.t3 tbody tr")
    assert len(t3_body_rows) == (23 if which == "sample" else 25)  # data rows only: no subtotal rows


def test_blank_cells_print_blank():
    report = loads_params(f"agency: {{id: pingtan-zone, name: 平潭综合实验区, level: 县级政府}}\nyear: 2019\n{PINGTAN_2019_TABLES}")
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(official_table_html(report, "t2"), "lxml")
    cells = {td["data-cell"]: td.get_text() for td in soup.select("td[data-cell]")}
    assert cells["t2.licensing.decisions"] == ""
    assert cells["t2.fees.change"] == ""
    assert cells["t2.regulations.made"] == "0"
    assert cells["t2.procurement.amount"] == "75394432.52元"


def test_headings_numbered_with_extension(sample_soup):
    headings = [h.get_text() for h in sample_soup.select("main h2")]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、公开平台建设和信息发布情况",
        "四、收到和处理政府信息公开申请情况",
        "五、政府信息公开行政复议、行政诉讼情况",
        "六、政府信息公开工作存在的主要问题及改进措施",
        "七、其它需要报告的事项",
    ]  # the analysis appendix is in analysis.html, not in the publication
    assert sample_soup.select_one("h1.report-title").get_text() == "余姚市商务局2020年政府信息公开工作年度报告"
    assert sample_soup.title.get_text() == "余姚市商务局2020年政府信息公开工作年度报告"


def test_order_title_preamble_parts_signature(sample_soup):
    main = sample_soup.select_one("main.report")
    kinds = []
    for el in main.find_all(recursive=False):
        cls = el.get("class", [])
        kinds.append(el.name if el.name == "h1" else (cls[0] if cls else el.name))
    first = [k for i, k in enumerate(kinds) if k not in kinds[:i]]
    assert first == ["h1", "preamble", "part", "signature"]
    assert kinds[-1] == "signature"  # the publication ends at the 落款
    parts = [s["data-part"] for s in main.select("section.part")]
    assert parts == ["s1", "s2", "platform", "s3", "s4", "s5", "s6"]


def test_extension_table(sample_soup):
    table = sample_soup.select_one('table.extension[data-extension="platform"]')
    assert [th.get_text() for th in table.select("thead th")] == ["统计指标", "单位", "统计数"]
    rows = table.select("tbody tr")
    assert len(rows) == 14
    first = rows[0].select_one("th")
    assert "indent-1" in first["class"]
    assert str(first).count("<br/>") == 1  # the label's line break
    assert first.get_text("|") == "（一）主动公开政府信息数|（不同渠道和方式公开相同信息计1条）"
    assert [td.get_text() for td in rows[0].select("td")] == ["条", "45"]
    assert [td.get_text() for td in rows[1].select("td")] == ["——", ""]
    assert "indent-3" in rows[9].select_one("th")["class"]
    assert [td.get_text() for td in rows[4].select("td")] == ["条", "37"]


def test_signature(sample_soup, pingtan_soup):
    sig = sample_soup.select_one("div.signature")
    assert [p.get_text() for p in sig.select("p")] == ["余姚市商务局", "2021年1月20日"]
    assert pingtan_soup.select_one("div.signature") is None  # no 落款 in the params: none printed


def test_narrative_paragraphs(sample_soup):
    s5 = sample_soup.select_one('section[data-part="s5"]')
    paras = [p.get_text() for p in s5.select(".narrative p")]  # the first one sits with the heading (.keep-next)
    assert len(paras) == 4
    assert paras[0].startswith("当前，我局政务公开工作存在的主要问题")
    assert paras[3].startswith("（3） 加强日常管理")
    assert sample_soup.select_one('section[data-part="s3"] .narrative') is None  # empty narrative: no block
