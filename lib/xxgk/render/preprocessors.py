"""nbconvert preprocessor: keep only what the report shows — rich display outputs of code cells.

Inputs, markdown, the injected-parameters cell, streams, errors, plain-text reprs and screen-only
outputs (JupyterLab styles) are dropped;
execute results become display data. The report metadata of the title output goes to ``resources``.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import List, Unicode

META_KEY = "xxgk"
SCREEN_ONLY = "xxgk_screen_only"  # outputs for JupyterLab only (e.g. its table styles)


class ReportOutputsPreprocessor(Preprocessor):
    """Strip a notebook down to its report outputs and collect the report metadata."""

    keep_mimetypes = List(
        Unicode(), default_value=["text/html", "image/svg+xml", "image/png", "image/jpeg"],
        help="Output mimetypes that may appear in the report; others are removed.",
    ).tag(config=True)  # fmt: skip

    def preprocess(self, nb, resources):
        """Drop everything but rich display outputs; put the report metadata into ``resources['xxgk']``."""
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
                data = {k: v for k, v in out.get("data", {}).items() if k in self.keep_mimetypes}
                if not data:
                    continue
                meta = {**meta, **out.get("metadata", {}).get(META_KEY, {})}
                outputs.append({"output_type": "display_data", "data": data, "metadata": {}})
            if outputs:
                cell.source = ""
                cell.outputs = outputs
                cells.append(cell)
        nb.cells = cells
        resources[META_KEY] = {"title": nb.metadata.get("title", "report"), "header": "", **meta}
        return nb, resources
