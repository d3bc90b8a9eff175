"""Per-document font subsets for printing: the TrueType CJK fonts a page names, cut down to the characters it uses.

Chromium spends about 0.1–0.2 s per big CJK font (a 20 MB TTC) when it embeds the font in a PDF; a subset of
the few hundred characters a report uses costs almost nothing. ``PrintFonts`` finds each family named in the
page's CSS with fontconfig (``fc-match``), regular and bold, subsets it with HarfBuzz (``uharfbuzz``, about 2 ms)
and writes ``@font-face`` rules with the same family names, so the page looks exactly as with the system fonts.
Chromium embeds CFF-outline fonts (Noto CJK, Source Han) as nameless Type 3 glyph programs, so a CFF subset is
turned into TrueType outlines with fontTools (cu2qu); each glyph is converted once per process and cached, so
only the first report pays (about 0.5 s per face). The PDF then names and embeds e.g. ``NotoSerifCJKsc-Regular``.
Anything missing (no fontconfig, no uharfbuzz, a font HarfBuzz cannot subset) simply keeps the system font.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import shutil
import subprocess
from pathlib import Path

from xxgk.render.html import css_string

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_QUOTED = re.compile(r"""["']([^"'{};:<>]{2,60})["']""")
_TRUETYPE = (".ttf", ".ttc", ".otf", ".otc")
_BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.I)


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
        self._glyphs: dict[tuple[str, int], dict[str, tuple[bytes, int, int]]] = {}
        try:
            import uharfbuzz
        except ImportError:
            uharfbuzz = None
        self._hb = uharfbuzz

    @property
    def available(self) -> bool:
        """Whether subsetting can work here (fontconfig and uharfbuzz present)."""
        return bool(self._fc and self._hb)

    def font_file(self, family: str, bold: bool = False) -> tuple[str, int] | None:
        """The font file and face index fontconfig uses for exactly this family (its bold face), or None."""
        key = f"{family}:weight=bold" if bold else family
        if key not in self._files:
            self._files[key] = self._lookup(family, key)
        return self._files[key]

    def _lookup(self, family: str, pattern: str) -> tuple[str, int] | None:
        try:
            out = subprocess.run([self._fc, "-f", "%{file}|%{index}|%{family}", pattern], capture_output=True,
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
            data = hb.subset(face, inp).blob.data
        except Exception:  # noqa: BLE001 - a font HarfBuzz cannot subset keeps the system font
            return None
        try:
            return self._truetype((path, index), data)
        except Exception:  # noqa: BLE001 - a CFF font fontTools cannot convert is embedded as it is
            return data

    def _truetype(self, key: tuple[str, int], data: bytes) -> bytes:
        """A CFF-outline subset rewritten with TrueType (``glyf``) outlines; TrueType data is returned as it is."""
        from fontTools import ttLib
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        font = ttLib.TTFont(io.BytesIO(data), recalcBBoxes=False)
        if "CFF " not in font:
            return data
        font.cfg[ttLib.OPTIMIZE_FONT_SPEED] = True
        cache = self._glyphs.setdefault(key, {})
        order = font.getGlyphOrder()
        glyph_set = None
        glyphs = {}
        for name in order:  # CID-keyed subsets keep the original glyph names (cidNNNNN): one cache per face
            if name not in cache:
                glyph_set = glyph_set or font.getGlyphSet()  # parsing the CFF table costs: only for new glyphs
                pen = TTGlyphPen(None)
                glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
                g = pen.glyph()
                packed = g.compile(None, recalcBBoxes=True, optimizeSize=False)
                cache[name] = (packed, len(g.coordinates) if g.numberOfContours > 0 else 0, max(g.numberOfContours, 0))
            glyphs[name] = Glyph(cache[name][0])
        glyf = font["glyf"] = ttLib.newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, glyphs
        font["loca"] = ttLib.newTable("loca")
        for tag in ("CFF ", "VORG"):
            if tag in font:
                del font[tag]
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        maxp.maxPoints = max((cache[n][1] for n in order), default=0)
        maxp.maxContours = max((cache[n][2] for n in order), default=0)
        maxp.maxZones, maxp.maxTwilightPoints, maxp.maxStorage = 1, 0, 0
        maxp.maxFunctionDefs = maxp.maxInstructionDefs = maxp.maxStackElements = maxp.maxSizeOfInstructions = 0
        maxp.maxCompositePoints = maxp.maxCompositeContours = maxp.maxComponentElements = maxp.maxComponentDepth = 0
        font["post"].formatType = 3.0
        font["head"].glyphDataFormat = 0
        font.sfntVersion = "\x00\x01\x00\x00"
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()

    def head_html(self, page: str, stem: str) -> str:
        """``<link rel=preload>`` and ``@font-face`` markup that swaps the page's TrueType families for subsets
        written as ``<workdir>/<stem>-<n>.ttf`` (the caller removes them after printing)."""
        if not self.available:
            return ""
        chars = {ord(c) for c in page}
        weights = ("normal", "bold") if any(_BOLD.search(css) for css in _STYLE.findall(page)) else ("normal",)
        links, rules = [], []
        for family in css_families(page):
            regular = self.font_file(family)
            for weight in weights:
                found = regular if weight == "normal" else self.font_file(family, bold=True)
                if found is None or (weight == "bold" and found == regular):
                    continue  # no such family, or no bold face of its own (the browser emboldens the regular)
                data = self._subset(*found, chars)
                if not data:
                    continue
                target = self.workdir / f"{stem}-{len(rules)}.ttf"
                target.write_bytes(data)
                url = html.escape(target.as_uri(), quote=True)
                links.append(f'<link rel="preload" as="font" type="font/ttf" href="{url}" crossorigin>')
                rules.append(f'@font-face {{ font-family: "{css_string(family)}"; src: url("{url}"); '
                             f"font-weight: {weight}; font-display: block; }}")  # fmt: skip
        if not rules:
            return ""
        return "\n".join([*links, "<style>", *rules, "</style>"])
