"""The interface language: gettext catalogs for help texts, progress lines, summaries and CLI errors.

Messages are written in English in the source and marked with ``_()`` (translated now) or ``N_()`` (marked
for extraction, translated where they are shown). The Chinese catalog lives in
``lib/xxgk/locale/zh_CN/LC_MESSAGES/xxgk.po`` and is compiled to the ``.mo`` next to it, which the package
ships; ``python -m xxgk.i18n update`` re-extracts the messages from the source with Babel and merges them
into the catalog, ``python -m xxgk.i18n compile`` writes the ``.mo``. Rule messages of the checker are
Chinese already (each with its rule ID) and are not part of the catalog.

The language is chosen, first match wins, by ``--lang zh|en``, ``language`` in ``xxgk.toml``, or the
locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh…`` means Chinese); English otherwise.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import os
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

DOMAIN = "xxgk"
LANGUAGES = ("zh", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
#: language code → gettext locale directory name
LOCALES = {"zh": "zh_CN"}

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:  # noqa: N802 — the gettext convention
    """Mark ``message`` for extraction without translating it (translate it with ``_`` where it is shown)."""
    return message


def _(message: str) -> str:
    """``message`` in the interface language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the interface language."""
    return _translations.ngettext(singular, plural, n)


def named(names: Mapping[str, str], code: str) -> str:
    """The translated name of a code (``names`` holds ``N_`` marked names), or the code itself when it has none."""
    return _(names[code]) if code in names else code


def language() -> str:
    """The active interface language: ``zh`` or ``en``."""
    return _language


def from_locale(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: ``zh`` when the first set of LANGUAGE, LC_ALL, LC_MESSAGES, LANG
    starts with ``zh``, else ``en``."""
    env = os.environ if environ is None else environ
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        if value:
            first = value.split(":")[0].strip().lower()
            return "zh" if first.startswith("zh") else "en"
    return "en"


def choose(explicit: str | None = None, configured: str | None = None,
           environ: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """The interface language: ``explicit`` (``--lang``), else ``configured`` (xxgk.toml), else the locale."""
    for value in (explicit, configured):
        if value in LANGUAGES:
            return value
    return from_locale(environ)


def activate(lang: str) -> None:
    """Make ``lang`` the interface language of ``_``, ``ngettext`` and argparse's own messages."""
    global _translations, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    locale = LOCALES.get(lang)
    if locale is None:
        _translations = _gettext.NullTranslations()
    else:
        _translations = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)
    _language = lang
    # argparse looks up its module globals ``_`` and ``ngettext`` at call time
    argparse._ = _
    argparse.ngettext = ngettext


def lang_from_argv(argv: Sequence[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` in ``argv`` before the parser exists (it is built in the
    chosen language); None when absent or not a known language."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return value if value in LANGUAGES else None
    return None


_OPENING = "（《「『“‘〔【"
_CLOSING = "，。；：、！？）》」』”’〕】"


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (a Chinese character takes two)."""
    return text + " " * max(0, width - _cells(text))


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` terminal columns (a Chinese character takes two):
    between words, and between Chinese characters, never before closing or after opening punctuation."""
    tokens: list[list] = []  # [text, preceded by a space]
    space = False
    for m in re.finditer(r"\s+|[^\s]", text):
        ch = m.group()
        if ch.isspace():
            space = True
            continue
        wide = _cells(ch) == 2
        prev = tokens[-1] if tokens else None
        glue = prev is not None and not space and (
            ch in _CLOSING or prev[0][-1] in _OPENING or not (wide or _cells(prev[0][-1]) == 2))
        if glue:
            prev[0] += ch
        else:
            tokens.append([ch, space])
        space = False
    lines, line = [], ""
    for tok, spaced in tokens:
        piece = (" " if spaced and line else "") + tok
        if line and _cells(line + piece) > width:
            lines.append(line)
            line = tok
        else:
            line += piece
    return lines + [line] if line else lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, wrapping help texts that hold Chinese by terminal columns (argparse counts
    characters and breaks only at spaces, so Chinese lines ran past the edge of the terminal), and lining
    up the usage lines under a Chinese "usage" prefix."""

    def _split_lines(self, text, width):
        if _cells(text) == len(text):
            return super()._split_lines(text, width)
        return wrap_cells(text, width)

    def _format_usage(self, usage, actions, groups, prefix):
        prefix = _("usage: ") if prefix is None else prefix
        extra = _cells(prefix) - len(prefix)  # "用法：" takes 6 columns, not 3
        if not extra:
            return super()._format_usage(usage, actions, groups, prefix)
        self._width -= extra
        try:
            text = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width += extra
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line else line for line in rest)])

    def _fill_text(self, text, width, indent):
        if _cells(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_cells(text, width - len(indent)))


#: argparse's own user-facing messages, so that the catalog carries their translations
ARGPARSE_MESSAGES = [
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
]


# ---- catalog maintenance (needs Babel, a development dependency) -------------------------------------------

SOURCE = Path(__file__).parent
PO_FILE = LOCALE_DIR / LOCALES["zh"] / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_FILE = PO_FILE.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract():
    """A Babel catalog of every message marked in the package's Python source."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="xxgk", domain=DOMAIN, charset="utf-8")
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE), method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(path: Path = PO_FILE):
    """The Chinese catalog as a Babel catalog."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        return read_po(fh, locale=LOCALES["zh"], domain=DOMAIN)


def update() -> tuple[int, int]:
    """Merge the messages of the source into the .po file; returns (messages, untranslated)."""
    from babel.messages.catalog import Catalog

    template = extract()
    if PO_FILE.exists():
        catalog = read_catalog()
    else:
        catalog = Catalog(locale=LOCALES["zh"], project="xxgk", domain=DOMAIN, charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    _fix_header(catalog)
    write_catalog(catalog)
    messages = [m for m in catalog if m.id]
    return len(messages), sum(1 for m in messages if not _translated(m))


def write_catalog(catalog) -> None:
    """Write ``catalog`` to the .po file (atomically, in the one layout every update keeps)."""
    from babel.messages.pofile import write_po

    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    tmp = PO_FILE.with_suffix(".po.tmp")
    with open(tmp, "wb") as fh:
        write_po(fh, catalog, width=120, sort_output=False, include_lineno=False)
    tmp.replace(PO_FILE)


def _fix_header(catalog) -> None:
    """Header fields that do not change with every update (so that merges of the catalog stay clean)."""
    import datetime as dt

    from xxgk import __version__

    catalog.fuzzy = False
    catalog.version = __version__
    catalog.creation_date = catalog.revision_date = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    catalog.last_translator = catalog.language_team = "xxgk <xxgk@users.noreply>"
    catalog.msgid_bugs_address = ""
    catalog.copyright_holder = "the xxgk authors"


def _translated(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def compiled_bytes() -> bytes:
    """The .mo file the .po file compiles to (fuzzy entries left out)."""
    import io

    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, read_catalog(), use_fuzzy=False)
    return buf.getvalue()


def compile_catalog() -> Path:
    """Write the .mo file next to the .po file."""
    tmp = MO_FILE.with_suffix(".mo.tmp")
    tmp.write_bytes(compiled_bytes())
    tmp.replace(MO_FILE)
    return MO_FILE


def main(argv: list[str] | None = None) -> int:
    """``python -m xxgk.i18n update|compile``: maintain the Chinese catalog."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["update"]:
        total, missing = update()
        print(f"{PO_FILE}: {total} messages, {missing} untranslated")
        return 0
    if args == ["compile"]:
        print(compile_catalog())
        return 0
    print("usage: python -m xxgk.i18n update|compile", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
