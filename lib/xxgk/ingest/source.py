"""The shared intermediate every reader produces: text blocks and tables as grids of strings with provenance."""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass, field

from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.limits import InputError


class IngestError(InputError):
    """A file that cannot be ingested: not a report, an unsupported type, or unreadable."""


@contextlib.contextmanager
def parse_guard(path, kind: str):
    """Around a parser's read of a file: any exception the parser raises on malformed input becomes
    「cannot read FILE as .KIND: reason」 (exit 2). Only the parse step goes inside, so our own bugs still show."""
    try:
        yield
    except UserError:
        raise
    except MemoryError:
        raise IngestError(path, _("cannot read the file as .{kind}: out of memory while parsing it").format(kind=kind)) from None
    except RecursionError:
        raise IngestError(path, _("cannot read the file as .{kind}: its structure nests too deeply").format(kind=kind)) from None
    except Exception as exc:  # zlib.error, BadZipFile, XMLSyntaxError, KeyError, pdfminer's own types…
        raise IngestError(path, _("cannot read the file as .{kind}: {reason}").format(kind=kind, reason=_reason(exc))) from None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(text) > 200:
        text = text[:200] + "…"
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


@dataclass
class TextBlock:
    """A paragraph or line of narrative text and where it is in the source."""

    text: str
    source: str
    offset: int = 0  # where ``text`` starts within the source line or element, for flattened tables

    def at(self, i: int) -> str:
        """Provenance of the character at index ``i`` of this block."""
        return f"{self.source}, char {self.offset + i + 1}"


@dataclass
class GCell:
    """One position of a table grid: its text, where it is, and (for merged cells) the cell it belongs to."""

    text: str
    source: str
    origin: object = None  # same object for every position of one merged cell
    uncertain: bool = False
    confidence: float = 1.0
    reason: str | None = None


@dataclass
class Grid:
    """A table as rows of cells. ``exact``: merged cells expanded into a rectangle (HTML, DOCX, ruled PDF)."""

    rows: list[list[GCell]]
    source: str
    exact: bool = False
    flat: bool = False  # rebuilt from text whose cells ran together

    def distinct_rows(self) -> list[list[GCell]]:
        """Each row with the repeated positions of a horizontally merged cell collapsed into one."""
        out = []
        for row in self.rows:
            seen: list[GCell] = []
            for c in row:
                if c.origin is not None and seen and seen[-1].origin is c.origin:
                    continue
                seen.append(c)
            out.append(seen)
        return out

    def text(self) -> str:
        """All cell texts, for format detection and searching."""
        return " ".join(c.text for row in self.rows for c in row)


@dataclass
class SourceDoc:
    """A document as read: blocks (TextBlock | Grid) in reading order, plus metadata the page carried."""

    path: str
    kind: str  # "text", "html", "docx", "pdf"
    blocks: list = field(default_factory=list)
    title: str | None = None  # <title>, 标题:, document properties
    published: str | None = None  # a date text from page metadata (公开日期, 发布时间)
    publisher: str | None = None  # 发布机构 from page metadata
    notes: list[str] = field(default_factory=list)  # what the reader changed or doubts (rotated pages …)

    def all_text(self) -> str:
        """Every text of the document, blocks and grid cells, in order."""
        parts = [self.title or ""]
        for b in self.blocks:
            parts.append(b.text if isinstance(b, TextBlock) else b.text())
        return "\n".join(parts)


_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]|\[\[?[A-Za-z_]+:[^\]]*\]\]?")


# PDF fonts often map ideographs to Kangxi radicals (⼯ ⼈ ⽂) or radical supplements (⺠ ⻚ ⻔); a
# simplified-Chinese report means the simplified character.
_SUPPLEMENT = dict(zip(
    "⺁⺇⺊⺌⺎⺐⺒⺓⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺦⺨⺩⺪⺫⺬⺭⺮⺯⺰⺳⺶⺹⺺⺻⺼⺽⺾⻁⻂⻃⻄⻅⻆⻈⻉⻊⻋⻌⻏⻐⻑⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻟⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "厂几卜小兀尢巳幺忄心扌攵旡日月歹母民氵氺灬爫丬犭王疋罒示礻竹糸纟网羊耂肀聿月臼艹虎衤覀西见角讠贝足车辶阝钅長长门阝雨青韦页风飞食饣马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
))  # fmt: skip
_KANGXI_SIMPLIFIED = dict(
    zip("⼾⾨⾴⾒⾙⾞⾧⾵⾶⾺⿂⿃⿆⿈⿑⿒⿓⿔⾔⾕⾣", "户门页见贝车长风飞马鱼鸟麦黄齐齿龙龟言谷酉")
)


def _radical_table() -> dict[int, str]:
    import unicodedata

    table = {ord(k): v for k, v in _SUPPLEMENT.items()}
    for cp in range(0x2F00, 0x2FD6):
        ch = chr(cp)
        table[cp] = _KANGXI_SIMPLIFIED.get(ch) or unicodedata.normalize("NFKC", ch)
    return table


_RADICALS = _radical_table()


def clean_text(text: str) -> str:
    """Drop Word artefacts such as 「[bookmark: _GoBack]」 and non-breaking spaces, map radicals to
    characters; keep line breaks."""
    text = _ARTEFACT.sub("", str(text)).translate(_RADICALS)
    return text.replace("\xa0", " ").replace("\ufeff", "").replace("\u200b", "")


def tidy_cjk_spaces(text: str) -> str:
    """Remove the spaces PDF and web extraction put between Chinese characters and digits (「2024 年」)."""
    return _SPACE_NEAR_CJK.sub("", text)


@functools.lru_cache(maxsize=65536)
def cell_text(text: str) -> str:
    """A cell's text as used for values: artefacts dropped, lines joined, outer spaces stripped."""
    t = clean_text(text)
    t = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*", "", t)
    return t.strip(" \t\u3000\r\n")
