"""Narrative Markdown → safe HTML: markdown-it-py with raw HTML off, then the nh3 sanitiser.

Whatever a params file holds (``<script>``, ``onerror=``, ``javascript:`` links), only inert markup
reaches the report: raw HTML is escaped by the parser and anything left is cleaned by an allow-list.
"""

from __future__ import annotations

import functools
import html

import nh3

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "b", "i", "u", "s", "sub", "sup", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


@functools.cache
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": False})
    md.enable("table")
    md.disable("image")  # a report narrative has no images; never fetch one
    return md


def sanitize(fragment: str) -> str:
    """Clean an HTML fragment with the allow-list (no scripts, handlers, styles or foreign URL schemes)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def markdown_html(text: str) -> str:
    """Render narrative Markdown to sanitised HTML ('' for empty text)."""
    if not text or not text.strip():
        return ""
    return sanitize(_parser().render(text)).strip()


def text_html(text: str | None) -> str:
    """Escape a plain text for HTML, keeping its line breaks as ``<br>``."""
    if not text:
        return ""
    return "<br>".join(html.escape(line, quote=True) for line in str(text).split("\n"))
