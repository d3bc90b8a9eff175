"""Ingest published reports (text, HTML, DOCX, PDF; XLSX forms) into Reports and params files.

One reader per input type (``text``, ``html``, ``docx``, ``pdf``) produces a ``source.SourceDoc``: text
blocks and tables as grids of strings with per-cell provenance. ``sections`` splits the narrative,
``flat`` rebuilds tables whose cells ran together, ``grid`` maps grids to format cells by their labels,
and ``pipeline.ingest_file`` puts it together; ``command`` is ``xxgk ingest``.
"""
