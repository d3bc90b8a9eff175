"""Matplotlib charts as deterministic inline SVG (glyphs as paths, fixed ids, no metadata, no pyplot)."""

from __future__ import annotations

import io
import math

from xxgk.render.fonts import setup_fonts

COLOURS = ("#8c1c13", "#2b5d8a", "#c88b2a", "#4f7f4a", "#6b4c8a", "#7a7a7a")
SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}
PAD = 3 / 72  # inches between the figure edge and the axes' decorations (constrained layout's default pad)


def _figure(width: float, height: float):
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    setup_fonts()
    fig = Figure(figsize=(width, height), dpi=72)  # SVG is drawn at 72 dpi: measure at the same scale
    FigureCanvasSVG(fig)
    return fig


def _fit(fig, ax) -> None:
    """Place the axes as constrained layout does (decorations and legend inside the figure, PAD from its
    edges; two passes, as ticks and their overhang depend on the size), so savefig draws only once."""
    from matplotlib.backends.backend_svg import RendererSVG

    width, height = fig.get_size_inches()
    renderer = RendererSVG(width * 72, height * 72, io.StringIO())  # text metrics are cached per renderer
    for _ in range(2):
        pos = ax.get_position(original=True)
        box = ax.get_tightbbox(renderer, for_layout_only=True).transformed(fig.transFigure.inverted())
        left, bottom = PAD / width + pos.x0 - box.x0, PAD / height + pos.y0 - box.y0
        right, top = 1 - PAD / width - (box.x1 - pos.x1), 1 - PAD / height - (box.y1 - pos.y1)
        ax.set_position((left, bottom, right - left, top - bottom))


def _svg(fig, title: str) -> str:
    if len(fig.axes) == 1:  # every chart here has one axes
        _fit(fig, fig.axes[0])
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={**SVG_METADATA, "Title": title})
    text = buf.getvalue()
    return text[text.index("<svg") :].strip()


def _style(ax, value_axis: str, unit: str) -> None:
    from matplotlib.ticker import MaxNLocator

    axis = ax.xaxis if value_axis == "x" else ax.yaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_label_text(unit)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=value_axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def bar_chart(labels: list[str], values: list[float | None], title: str, ylabel: str = "件") -> str:
    """A horizontal bar chart (long Chinese labels read best sideways); blank values get no bar.

    The title becomes the SVG's accessible name; the visible caption is the figure's (HTML) caption.
    """
    fig = _figure(7.0, 0.45 * len(labels) + 1.2)
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    vals = [0 if v is None else v for v in values]
    bars = ax.barh(ys, vals, color=COLOURS[0], height=0.6)
    ax.set_yticks(ys, labels)
    for bar, v in zip(bars, values):
        ax.annotate("（空）" if v is None else f"{v:g}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)  # fmt: skip
    _style(ax, "x", ylabel)
    ax.set_xlim(0, max(vals + [1]) * 1.15)
    return _svg(fig, title)


def grouped_bars(categories: list[str], series: dict[str, list[float | None]], title: str, ylabel: str = "件") -> str:
    """Vertical grouped bars: one group per category (e.g. year), one bar per series; blanks are gaps."""
    fig = _figure(7.0, 3.4)
    ax = fig.add_subplot()
    n = max(len(series), 1)
    width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        xs = [k + (i - (n - 1) / 2) * width for k in range(len(categories))]
        vals = [math.nan if v is None else v for v in values]
        bars = ax.bar(xs, vals, width=width * 0.92, label=name, color=COLOURS[i % len(COLOURS)])
        ax.bar_label(bars, labels=["" if v is None else f"{v:g}" for v in values], fontsize=8, padding=2)
    ax.set_xticks(range(len(categories)), categories)
    _style(ax, "y", ylabel)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    top = max([v for vs in series.values() for v in vs if v is not None] + [1])
    ax.set_ylim(0, top * 1.2)
    return _svg(fig, title)
