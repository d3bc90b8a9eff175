"""Per-document font subsets for printing: the TrueType CJK fonts a page names, cut down to the characters it uses.

Chromium spends about 0.1–0.2 s per big CJK font (a 20 MB TTC) when it embeds the font in a PDF; a subset of
the few hundred characters a report uses costs almost nothing. ``PrintFonts`` finds each family named in the
page's CSS with fontconfig (``fc-match``), subsets the TrueType ones with HarfBuzz (``uharfbuzz``, about 2 ms)
and writes ``@font-face`` rules with the same family names, so the page looks exactly as with the system fonts.
Anything missing (no fontconfig, no uharfbuzz, a CFF/OpenType font) simply keeps the system font.
"""

from __future__ import annotations

import contextlib
import html
import re
import shutil
import subprocess
from pathlib import Path

from xxgk.render.html import css_string

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_QUOTED = re.compile(r"""["']([^"'{};:<>]{2,60})["']""")
_TRUETYPE = (".ttf", ".ttc")


def css_families(page: str) -> list[str]:
    """Quoted font family names in the page's ``<style>`` blocks, in order of appearance."""
    names: list[str] = []
    for css in _STYLE.findall(page):
        for decl in re.findall(r"font-family\s*:([^;}]*)|--[\w-]+\s*:([^;}]*)", css):
            for value in decl:
                names += _QUOTED.findall(value)
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


class PrintFonts:
    """Finds system TrueType fonts by family (cached) and writes per-page subsets into ``workdir``."""

    def __init__(self, workdir: str | Path) -> None:
        self.workdir = Path(workdir)
        self._fc = shutil.which("fc-match")
        self._files: dict[str, tuple[str, int] | None] = {}
        self._faces: dict[tuple[str, int], object] = {}
        try:
            import uharfbuzz
        except ImportError:
            uharfbuzz = None
        self._hb = uharfbuzz

    @property
    def available(self) -> bool:
        """Whether subsetting can work here (fontconfig and uharfbuzz present)."""
        return bool(self._fc and self._hb)

    def font_file(self, family: str) -> tuple[str, int] | None:
        """The TrueType file and face index fontconfig uses for exactly this family, or None."""
        if family not in self._files:
            self._files[family] = self._lookup(family)
        return self._files[family]

    def _lookup(self, family: str) -> tuple[str, int] | None:
        try:
            out = subprocess.run([self._fc, "-f", "%{file}|%{index}|%{family}", family], capture_output=True,
                                 text=True, timeout=10).stdout  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return None
        parts = out.split("|", 2)
        if len(parts) != 3 or not parts[0].lower().endswith(_TRUETYPE):
            return None
        if family.casefold() not in {f.strip().casefold() for f in parts[2].split(",")}:
            return None  # fontconfig substituted another family: the browser will not use it under this name
        with contextlib.suppress(ValueError):
            return parts[0], int(parts[1] or 0)
        return None

    def _subset(self, path: str, index: int, chars: set[int]) -> bytes | None:
        hb = self._hb
        face = self._faces.get((path, index))
        if face is None:
            face = self._faces[(path, index)] = hb.Face(hb.Blob.from_file_path(path), index)
        inp = hb.SubsetInput()
        inp.unicode_set.update(chars)
        inp.flags = hb.SubsetFlags.NO_HINTING
        try:
            return hb.subset(face, inp).blob.data
        except Exception:  # noqa: BLE001 - a font HarfBuzz cannot subset keeps the system font
            return None

    def head_html(self, page: str, stem: str) -> str:
        """``<link rel=preload>`` and ``@font-face`` markup that swaps the page's TrueType families for subsets
        written as ``<workdir>/<stem>-<n>.ttf`` (the caller removes them after printing)."""
        if not self.available:
            return ""
        chars = {ord(c) for c in page}
        links, rules = [], []
        for family in css_families(page):
            found = self.font_file(family)
            if found is None:
                continue
            data = self._subset(*found, chars)
            if not data:
                continue
            target = self.workdir / f"{stem}-{len(rules)}.ttf"
            target.write_bytes(data)
            url = html.escape(target.as_uri(), quote=True)
            links.append(f'<link rel="preload" as="font" type="font/ttf" href="{url}" crossorigin>')
            rules.append(f'@font-face {{ font-family: "{css_string(family)}"; src: url("{url}"); font-display: block; }}')
        if not rules:
            return ""
        return "\n".join([*links, "<style>", *rules, "</style>"])
