"""Chinese charts: a real CJK font registered from its file, no missing glyphs, deterministic SVG; chart data."""

from __future__ import annotations

import warnings

import pytest

from tests.render.reports import pingtan_yaml
from xxgk.errors import UserError
from xxgk.params import loads_params
from xxgk.render import appendix, fonts
from xxgk.render.charts import bar_chart, grouped_bars


def test_cjk_font_registered_from_file():
    from matplotlib import font_manager, rcParams

    family = fonts.setup_fonts()
    assert family == "Noto Sans CJK SC"  # fonts-noto-cjk on this machine
    assert rcParams["font.sans-serif"][0] == family
    assert rcParams["axes.unicode_minus"] is False
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert path.endswith("NotoSansCJK-Regular.ttc")


def test_no_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(fonts, "_chosen", None)
    monkeypatch.setattr(fonts, "cjk_font_files", lambda: [])
    monkeypatch.setattr(fonts, "FAMILIES", ("No Such CJK Font",))
    with pytest.raises(UserError, match="fonts-noto-cjk"):
        fonts.setup_fonts()


def test_charts_have_every_glyph_and_are_deterministic():
    report = loads_params(pingtan_yaml(2022))
    labels, values = appendix.applicant_data(report)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph … missing" warning fails the test
        one = bar_chart(labels, values, "本年新收申请（按申请人类型）")
        two = bar_chart(labels, values, "本年新收申请（按申请人类型）")
        grouped = grouped_bars(
            ["2019年", "2022年"], {"本年新收政府信息公开申请数量": [23, 74], "结转": [None, 0]}, "对比"
        )
    assert one == two
    assert one.startswith("<svg") and "<text" not in one  # glyphs drawn as paths, no font needed to view
    assert "<dc:date>" not in one and "Matplotlib" not in one
    assert grouped.startswith("<svg")


def test_chart_data_from_format_labels():
    report = loads_params(pingtan_yaml(2022))
    labels, values = appendix.applicant_data(report)
    assert labels == ["自然人", "法人或其他组织·商业企业", "法人或其他组织·科研机构", "法人或其他组织·社会公益组织",
                      "法人或其他组织·法律服务机构", "法人或其他组织·其他"]  # fmt: skip
    assert values == [71, 3, 0, 0, 0, 0]
    labels, values = appendix.outcome_data(report)
    assert labels == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert values == [21, 9, 4, 37, 0, 4]


def test_trend_series_across_formats_keeps_blanks():
    reports = [loads_params(pingtan_yaml(2019)), loads_params(pingtan_yaml(2022))]
    series = dict(appendix.trend_series(reports))
    assert series["依申请公开办理情况"] == {
        "本年新收政府信息公开申请数量": [23, 74],
        "本年度办理结果（总计）": [23, 75],
        "结转下年度继续办理": [0, 0],
    }
    assert series["政府信息公开行政复议、行政诉讼情况"] == {"行政复议": [0, 2], "行政诉讼": [0, 1]}
    assert series["行政许可、处罚、强制处理决定数量"] == {"行政许可": [None, 10690], "行政处罚": [None, 2113],
                                                          "行政强制": [None, 0]}  # fmt: skip


def _bars_with_legend(fig, labels: list[str], values: list[int]):
    """Chart content with every decoration the layout must fit: long CJK tick labels, value labels past the
    bar ends, an axis label and a legend outside the axes on the right."""
    ax = fig.add_subplot()
    bars = ax.barh(range(len(labels)), values, label="本年新收")
    ax.set_yticks(range(len(labels)), labels)
    ax.bar_label(bars, labels=[str(v) for v in values], padding=4)
    ax.set_xlabel("件")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return ax


@pytest.mark.parametrize("labels", [["自然人", "法人或其他组织·法律服务机构"], ["予以公开", "部分公开", "不予公开"]])
def test_fit_places_the_axes_like_constrained_layout(labels):
    import io

    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    from xxgk.render import charts

    values = [71, 3, 12][: len(labels)]
    fonts.setup_fonts()
    reference = Figure(figsize=(7.0, 3.0), dpi=72, layout="constrained")
    FigureCanvasSVG(reference)
    ref_ax = _bars_with_legend(reference, labels, values)
    reference.savefig(io.StringIO(), format="svg")  # runs the constrained layout
    fig = charts._figure(7.0, 3.0)
    ax = _bars_with_legend(fig, labels, values)
    charts._fit(fig, ax)
    tolerance = 0.01 / (7.0 * 72)  # a hundredth of a point, as a fraction of the figure width
    assert ax.get_position().bounds == pytest.approx(ref_ax.get_position().bounds, abs=tolerance)
    assert fig.get_layout_engine() is None  # savefig then draws once, without a layout pass
