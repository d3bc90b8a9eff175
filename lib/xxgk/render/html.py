"""``ReportHTMLExporter``: the executed report notebook → one self-contained, script-free HTML page.

Uses the ``xxgk`` nbconvert template shipped in ``render/templates`` (``jupyter nbconvert --to xxgk-html``).
``part`` picks the report (the publication, default) or the analysis appendix
(``--ReportHTMLExporter.part=analysis``). nbconvert's own preprocessors stay registered, so ``--execute`` runs
the notebook first; a notebook without report outputs is refused (``NotReportError``; from the nbconvert command:
a message and exit status 2, no file written).
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.exporters import TemplateExporter
from traitlets import Enum, default

from xxgk.render.notebook import PARTS, REPORT
from xxgk.render.preprocessors import NotReportError, ReportOutputsPreprocessor

TEMPLATES = Path(__file__).with_name("templates")


def css_string(text: str) -> str:
    """Text as the inside of a double-quoted CSS string, safe inside ``<style>``: every character that is not
    a letter, digit, space or CJK punctuation becomes a CSS escape (no quote, backslash, ``<`` or newline survives)."""
    return "".join(ch if (ch.isalnum() or ch == " " or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e")
                   and ch not in "<>&\"'" else f"\\{ord(ch):06x}" for ch in str(text))  # fmt: skip


class ReportHTMLExporter(TemplateExporter):
    """Export only the report outputs with the xxgk template: no code, prompts, scripts or CDN links."""

    export_from_notebook = "xxgk report (HTML)"
    output_mimetype = "text/html"
    part = Enum(PARTS, default_value=REPORT, help="Export the report (publication) or the analysis.").tag(config=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        """The page of ``part``; refuses a notebook without its outputs (``NotReportError``)."""
        for pre in self._preprocessors:
            if isinstance(pre, ReportOutputsPreprocessor):
                pre.part = self.part
        try:
            return super().from_notebook_node(nb, resources, **kw)
        except NotReportError as exc:
            refuse_in_nbconvert(exc)
            raise

    @default("file_extension")
    def _file_extension_default(self):
        return ".html"

    @default("template_name")
    def _template_name_default(self):
        return "xxgk"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]

    @default("filters")
    def _filters_default(self):
        return {"css_string": css_string}

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("exclude_markdown")
    def _exclude_markdown_default(self):
        return True

    @default("exclude_raw")
    def _exclude_raw_default(self):
        return True


def refuse_in_nbconvert(exc: NotReportError) -> None:
    """Inside the ``jupyter nbconvert`` command: log the message and exit with status 2 (no traceback, no file)."""
    from nbconvert.nbconvertapp import NbConvertApp

    if NbConvertApp.initialized():
        app = NbConvertApp.instance()
        app.log.error("%s", exc)
        app.exit(exc.exit_code)
