"""Rendering a report: HTML (nbconvert template and exporter), PDF (headless Chromium), Excel form, Word."""
