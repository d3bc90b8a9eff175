"""Regenerate ``report-1.schema.json`` from the format data: ``python -m xxgk.schemas``."""

from pathlib import Path

from xxgk.schemas import SCHEMA_FILE, build_report_schema, schema_text

if __name__ == "__main__":
    Path(__file__).with_name(SCHEMA_FILE).write_text(schema_text(build_report_schema()), encoding="utf-8")
