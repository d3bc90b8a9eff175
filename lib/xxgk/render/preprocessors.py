"""nbconvert preprocessor: keep only what one exported part shows — rich display outputs of code cells.

Part ``report`` (the publication: outputs without an ``xxgk_part`` tag) or ``analysis`` (outputs tagged
``{"xxgk_part": "analysis"}``: the appendix). Inputs, markdown, the injected-parameters cell, streams, errors,
plain-text reprs, screen-only outputs (JupyterLab styles) and the other part's outputs are dropped; execute
results become display data. The report metadata of the title output goes to ``resources`` for either part.
A notebook without the part's outputs (not executed, or run without the appendix) raises ``NotReportError``.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Enum, List, Unicode

from xxgk.errors import UserError
from xxgk.render.notebook import ANALYSIS, PART_KEY, PARTS, REPORT, SCREEN_ONLY

META_KEY = "xxgk"
ANALYSIS_SUFFIX = "　分析资料"  # the analysis page's <title> and running header: the report's, with this


class NotReportError(UserError):
    """A notebook without the outputs of the part being exported (e.g. never executed): nothing to publish."""


def output_part(out) -> str:
    """The exported part an output belongs to: its ``xxgk_part`` metadata, else ``report``."""
    return out.get("metadata", {}).get(PART_KEY, REPORT)


def has_part(nb, part: str) -> bool:
    """True when the notebook holds at least one display output of ``part``."""
    return any(out.get("output_type") in ("display_data", "execute_result") and output_part(out) == part
               and not out.get("metadata", {}).get(SCREEN_ONLY)
               for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", []))  # fmt: skip


class ReportOutputsPreprocessor(Preprocessor):
    """Strip a notebook down to the outputs of one part and collect the report metadata."""

    keep_mimetypes = List(
        Unicode(), default_value=["text/html", "image/svg+xml", "image/png", "image/jpeg"],
        help="Output mimetypes that may appear in the report; others are removed.",
    ).tag(config=True)  # fmt: skip
    part = Enum(PARTS, default_value=REPORT, help="The part to keep: the report (publication) or the analysis.").tag(
        config=True
    )

    def preprocess(self, nb, resources):
        """Drop everything but the part's rich display outputs; put the report metadata into ``resources['xxgk']``."""
        meta: dict = {}
        cells = []
        for cell in nb.cells:
            if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
                continue
            outputs = []
            for out in cell.get("outputs", []):
                if out.get("output_type") not in ("display_data", "execute_result"):
                    continue
                if out.get("metadata", {}).get(SCREEN_ONLY):
                    continue
                meta = {**meta, **out.get("metadata", {}).get(META_KEY, {})}  # the title output's, for both parts
                if output_part(out) != self.part:
                    continue
                data = {k: v for k, v in out.get("data", {}).items() if k in self.keep_mimetypes}
                if not data:
                    continue
                outputs.append({"output_type": "display_data", "data": data, "metadata": {}})
            if outputs:
                cell.source = ""
                cell.outputs = outputs
                cells.append(cell)
        name = f"notebook {resources.get('metadata', {}).get('name') or ''}".strip()
        if not meta or not cells:
            raise NotReportError(self._missing(name, bool(meta)))
        nb.cells = cells
        info = {"title": nb.metadata.get("title", "report"), "header": "", **meta}
        if self.part == ANALYSIS:
            header = info["header"] and info["header"] + ANALYSIS_SUFFIX
            info = {**info, "title": info["title"] + ANALYSIS_SUFFIX, "header": header}
        resources[META_KEY] = info
        return nb, resources

    def _missing(self, name: str, executed: bool) -> str:
        if not executed:
            return (f"{name} has no report outputs (it was not executed, or its outputs were cleared): nothing to "
                    "export. Run it first, e.g. `jupyter nbconvert --to xxgk-html --execute`, or build the report "
                    "with `xxgk build`")  # fmt: skip
        if self.part == ANALYSIS:
            return f"{name} has no analysis outputs (was it run with show_checks = False?)"
        return f"{name} has no report outputs besides the title metadata: nothing to export"
