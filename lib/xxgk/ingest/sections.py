"""Split a document into preamble, the numbered sections 一–六 (heading variants, inserted local sections,
numbering typos), and the 落款 at the end; headings may stand on their own line or run inline."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from xxgk.formats import Format
from xxgk.ingest import aliases, labels
from xxgk.ingest.detect import compact, is_date_line, title_length
from xxgk.ingest.source import Grid, TextBlock

# a Chinese numeral may follow a digit (flattened pages run a table's last value into the next heading:
# 「9116.36三、收到…」); an Arabic one may not (it would be the tail of a number)
_NUM = r"(?P<num>(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}|(?<!\d)\d{1,2})"
_LEAD = r"(?<![（(第.．、])"
_SEP = r"\s*[、.．,，]?\s*"
_NUMBERED = re.compile(rf"{_LEAD}{_NUM}\s*[、.．]\s*")
_SENTENCE_END = set("。；;：:！!？? \t\u3000")


@dataclass
class Part:
    """One numbered section as published: the national section it is (or None for a local one)."""

    sid: str | None
    numeral: str
    title: str
    source: str
    blocks: list = field(default_factory=list)

    @property
    def number(self) -> int | None:
        """The section number as printed (「4、」 → 4)."""
        return labels.cn_number(self.numeral)


@dataclass
class Layout:
    """The document split into preamble, sections and the trailing 落款 blocks."""

    preamble: list
    parts: list[Part]
    tail: list


@functools.cache
def _section_regex(fmt_id: str, sid: str) -> re.Pattern:
    from xxgk.formats import get_format

    sec = get_format(fmt_id).section(sid)
    variants = sorted({sec.title, *sec.aliases}, key=len, reverse=True)
    alt = "|".join(labels.flexible_pattern(v) for v in variants)
    return re.compile(rf"{_LEAD}{_NUM}{_SEP}(?P<title>{alt})")


@dataclass
class _Hit:
    block: int
    start: int
    end: int
    sid: str | None
    numeral: str
    title: str


def split(blocks: list, fmt: Format) -> Layout:
    """Split reading-order blocks into preamble, sections and tail."""
    blocks = _strip_title(list(blocks))
    hits = _standard_hits(blocks, fmt)
    hits += _local_hits(blocks, hits)
    hits.sort(key=lambda h: (h.block, h.start))
    preamble: list = []
    parts: list[Part] = []
    by_block: dict[int, list[_Hit]] = {}
    for h in hits:
        by_block.setdefault(h.block, []).append(h)
    for bi, b in enumerate(blocks):
        target = parts[-1].blocks if parts else preamble
        if bi not in by_block:
            target.append(b)
            continue
        pos = 0
        for h in by_block[bi]:
            before = b.text[pos : h.start].strip()
            if before:
                target.append(TextBlock(before, b.source, b.offset + pos))
            parts.append(Part(h.sid, h.numeral, h.title, b.at(h.start) if b.offset or h.start else b.source))
            target = parts[-1].blocks
            pos = h.end
        rest = b.text[pos:]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            target.append(TextBlock(rest.strip(), b.source, b.offset + pos + lead))
    tail: list = []
    if parts:
        parts[-1].blocks, tail = _split_tail(parts[-1].blocks)
    else:
        preamble, tail = _split_tail(preamble)
    return Layout(preamble, parts, tail)


def _strip_title(blocks: list) -> list:
    """Drop the report title from the first text blocks (it may span two lines or run into the preamble)."""
    lead = []
    for b in blocks[:3]:
        if not isinstance(b, TextBlock):
            break
        lead.append(b)
    for k in range(len(lead), 0, -1):
        joined = "".join(x.text for x in lead[:k])
        n = title_length(joined)
        if not n:
            continue
        consumed = 0
        out = list(blocks)
        for j in range(k):
            c = len(compact(lead[j].text))
            if consumed + c <= n:
                consumed += c
                out[j] = None
                continue
            need = n - consumed
            i = _index_after(lead[j].text, need)
            rest = lead[j].text[i:]
            out[j] = TextBlock(rest.strip(), lead[j].source, lead[j].offset + i) if rest.strip() else None
            break
        return [b for b in out if b is not None]
    return blocks


def _index_after(text: str, nonspace: int) -> int:
    """Index in ``text`` just after its first ``nonspace`` non-whitespace characters."""
    seen = 0
    for i, ch in enumerate(text):
        if seen == nonspace:
            return i
        if not ch.isspace():
            seen += 1
    return len(text)


def _standard_hits(blocks: list, fmt: Format) -> list[_Hit]:
    found: dict[str, _Hit] = {}
    pos = (0, 0)
    for sec in fmt.sections:
        h = _search(blocks, _section_regex(fmt.id, sec.id), sec.id, pos)
        if h:
            found[sec.id] = h
            pos = (h.block, h.end)
    order = [s.id for s in fmt.sections]
    for i, sid in enumerate(order):
        if sid in found:
            continue
        lo = (
            max((found[s].block, found[s].end) for s in order[:i] if s in found)
            if any(s in found for s in order[:i])
            else (0, 0)
        )
        later = [(found[s].block, found[s].start) for s in order[i + 1 :] if s in found]
        hi = min(later) if later else (len(blocks), 0)
        # between headings found, the full official title after its numeral is a heading wherever it stands
        # (one-line pages run it into the previous text: 「…回应事件数次4、收到和处理政府信息公开申请情况」)
        h = (
            _search(blocks, _section_regex(fmt.id, sid), sid, lo, hi)
            or _fuzzy(blocks, fmt.section(sid), lo, hi)
            or _by_number(blocks, fmt, sid, _expected_numbers(found, order, i), lo, hi)
        )
        if h:
            found[sid] = h
    return list(found.values())


def _search(blocks: list, rx: re.Pattern, sid: str, pos: tuple[int, int],
            within: tuple[int, int] | None = None) -> _Hit | None:
    """The first heading matching ``rx`` from ``pos``: where a heading may stand, or anywhere before ``within``."""
    for bi in range(pos[0], len(blocks) if within is None else min(within[0] + 1, len(blocks))):
        b = blocks[bi]
        if not isinstance(b, TextBlock):
            continue
        start = pos[1] if bi == pos[0] else 0
        for m in rx.finditer(b.text, start):
            if within is not None:
                if (bi, m.start()) >= within:
                    return None
                return _Hit(bi, m.start(), m.end(), sid, m["num"], re.sub(r"\s+", "", m["title"]))
            if m.start() == 0 or _inline_ok(b.text, m.start()) or _whole(b.text, m):
                return _Hit(bi, m.start(), m.end(), sid, m["num"], re.sub(r"\s+", "", m["title"]))
    return None


def _whole(text: str, m: re.Match) -> bool:
    return not text[m.end() :].strip()


def _inline_ok(text: str, i: int) -> bool:
    """A heading inside a block: after a sentence end, a space, or a table value (flattened pages)."""
    prev = text[i - 1]
    return prev in _SENTENCE_END or prev.isdigit() or prev in "元）)"


def _fuzzy(blocks: list, sec, lo: tuple[int, int], hi: tuple[int, int]) -> _Hit | None:
    """A heading with a typo (「行政法复议」) between the neighbouring headings found exactly."""
    variants = [compact(v) for v in (sec.title, *sec.aliases)]
    best: tuple[float, _Hit] | None = None
    for bi in range(lo[0], min(hi[0] + 1, len(blocks))):
        b = blocks[bi]
        if not isinstance(b, TextBlock):
            continue
        start = lo[1] if bi == lo[0] else 0
        for m in _NUMBERED.finditer(b.text, start):
            if (bi, m.start()) >= hi:
                break
            if m.start() and not _inline_ok(b.text, m.start()):
                continue
            window = b.text[m.end() : m.end() + 60]
            cw = compact(window)
            for v in variants:
                for n in range(max(2, len(v) - 3), len(v) + 4):
                    w = cw[:n]
                    sm = difflib.SequenceMatcher(None, w, v, autojunk=False)
                    if sm.real_quick_ratio() < 0.8 or sm.quick_ratio() < 0.8:
                        continue
                    r = sm.ratio()
                    if r >= 0.8 and (best is None or r > best[0]):
                        end = m.end() + _index_after(window, n)
                        best = (r, _Hit(bi, m.start(), end, sec.id, m["num"], w))
    return best[1] if best else None


def _expected_numbers(found: dict[str, _Hit], order: list[str], i: int) -> list[int]:
    """The numbers section ``order[i]`` may carry, from the numbering of the neighbours found (a local section
    inserted before it shifts it by one)."""
    out = []
    for j in [*range(i - 1, -1, -1), *range(i + 1, len(order))]:
        h = found.get(order[j])
        n = labels.cn_number(h.numeral) if h else None
        if n is not None:
            out.append(n + (i - j))
            if j > i or len(out) > 1:
                break
    return list(dict.fromkeys(out)) or [i + 1]


@functools.cache
def _row_labels(fmt_id: str) -> tuple[str, ...]:
    """Numbered row labels of the format's tables, without their numbering (「四、结转下年度继续办理」 →
    「结转下年度继续办理」), with their published variants."""
    from xxgk.formats import get_format

    printed = [x for t in get_format(fmt_id).tables for r in t.rows for x in (r.label, r.parent, r.group) if x]
    numbered = {labels.core(x) for x in printed if _NUMBERED.match(x)}
    numbered |= {labels.core(v) for v, official in aliases.ROW_VARIANTS.items() if labels.core(official) in numbered}
    return tuple(sorted(numbered, key=len, reverse=True))


def _by_number(blocks: list, fmt: Format, sid: str, numbers: list[int], lo, hi) -> _Hit | None:
    """A heading the agency titled in its own words (「三、依申请公开情况」): its number where the neighbours'
    numbering puts it, at a place a heading may stand, and not a table row label (「四、结转下年度继续办理」)."""
    for bi in range(lo[0], min(hi[0] + 1, len(blocks))):
        b = blocks[bi]
        if not isinstance(b, TextBlock):
            continue
        for m in _NUMBERED.finditer(b.text, lo[1] if bi == lo[0] else 0):
            if (bi, m.start()) >= hi:
                break
            if labels.cn_number(m["num"]) not in numbers or (m.start() and not _inline_ok(b.text, m.start())):
                continue
            rest = b.text[m.end() : m.end() + 40]
            if any(compact(rest).startswith(r) for r in _row_labels(fmt.id)):
                continue
            title = _own_title(rest)
            if title:
                return _Hit(bi, m.start(), m.end() + len(title), sid, m["num"], compact(title))
    return None


def _own_title(text: str) -> str:
    """The title after a heading's number: its line, else up to the first 情况/事项/措施 (run-on text)."""
    line = text.split("\n", 1)[0]
    m = re.match(r"[^。；;，,：:（(\d]{2,30}?(?:情况|事项|措施|问题)", line)
    if m:
        return m.group()
    return line if 2 <= len(line.strip()) <= 30 and not re.search(r"[。；;，,]", line) and "\n" in text else ""


def _local_hits(blocks: list, hits: list[_Hit]) -> list[_Hit]:
    """Numbered headings of sections the national format does not have (「三、公开平台建设和信息发布情况」):
    a short line whose number continues the numbering of the previous heading."""
    if not hits:
        return []
    known = {(h.block, h.start) for h in hits}
    ordered = sorted(hits, key=lambda h: (h.block, h.start))
    out = []
    for bi, b in enumerate(blocks):
        if not isinstance(b, TextBlock) or (bi, 0) in known:
            continue
        m = _NUMBERED.match(b.text)
        text = compact(b.text)
        if not m or len(text) > 40 or re.search(r"[。；;，,]", text):
            continue
        prev = [h for h in ordered + out if (h.block, h.start) < (bi, 0)]
        if not prev:
            continue
        last = max(prev, key=lambda h: (h.block, h.start))
        n, pn = labels.cn_number(m["num"]), labels.cn_number(last.numeral)
        if n is None or pn is None or n != pn + 1:
            continue
        nxt = [h for h in ordered if (h.block, h.start) > (bi, 0)]
        if nxt and (labels.cn_number(nxt[0].numeral) or 99) <= n:
            continue
        out.append(_Hit(bi, 0, len(b.text), None, m["num"], b.text[m.end() :].strip()))
    return out


def _split_tail(blocks: list) -> tuple[list, list]:
    """Cut web-page chrome and move the 落款 (agency line and date line) out of the last section."""
    for i, b in enumerate(blocks):
        if isinstance(b, TextBlock) and len(b.text) < 60 and any(c in b.text for c in aliases.CHROME_LINES):
            blocks = blocks[:i]
            break
    texts = [i for i, b in enumerate(blocks) if isinstance(b, TextBlock)]
    if not texts:
        return blocks, []
    # the 落款: an agency line and a date line; whatever follows it (an appendix, page chrome) is not report text
    for k in range(len(texts) - 1, -1, -1):
        i = texts[k]
        if not is_date_line(blocks[i].text):
            continue
        if k >= 1 and texts[k - 1] == i - 1 and _agency_line(blocks[i - 1].text):
            return blocks[: i - 1], blocks[i - 1 :]
        if k == len(texts) - 1:
            return blocks[:i], blocks[i:]
    last = texts[-1]
    b = blocks[last]
    m = re.match(r"^(?P<who>[^。；，,\s]{2,40})\s+(?P<date>(?:19|20)\d\d\s*年.{1,8}日)$", b.text.strip())
    if m and is_date_line(m["date"]):
        return blocks[:last], [TextBlock(m["who"], b.source, b.offset), TextBlock(m["date"], b.source, b.offset)]
    # a one-line page: 「…需要报告的事项。余姚市商务局2021年1月20日」 — the agency and date after the last sentence
    m = _RUN_ON_SIGNATURE.search(b.text)
    if m and is_date_line(m["date"]) and _agency_line(m["who"]):
        head = b.text[: m.start("who")].rstrip()
        kept = [*blocks[:last], TextBlock(head, b.source, b.offset)] if head else blocks[:last]
        at = b.offset + m.start("who")
        return kept, [TextBlock(m["who"], b.source, at), TextBlock(m["date"], b.source, b.offset + m.start("date"))]
    return blocks, []


_RUN_ON_SIGNATURE = re.compile(
    r"[。；;！!？?]\s*(?P<who>[^。；;，,：:\s\d]{2,40}?)\s*(?P<date>(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$"
)


def _agency_line(text: str) -> bool:
    return 2 <= len(compact(text)) <= 40 and not re.search(r"[。；，,：:]", text) and not is_date_line(text)


def part_text(blocks: list) -> str:
    """The narrative of a section as Markdown paragraphs (tables left out)."""
    return "\n\n".join(paragraphs(b.text) for b in blocks if isinstance(b, TextBlock) and b.text.strip())


#: where a paragraph starts inside a run-on text: a sentence end, then 「（一）」 or 「1.」 before a CJK character
_PARAGRAPH_START = re.compile(
    r"(?<=[。；;！!？?])[ \t\u3000]*(?=[（(][一二三四五六七八九十]{1,2}[）)]|\d{1,2}[.．、][\u4e00-\u9fff])"
)
_RUN_ON = 150  # a block this long without a line break has lost its paragraphs


def paragraphs(text: str) -> str:
    """A run-on text (a page saved as one line) cut into paragraphs at the report's own markers （一） / 1."""
    if "\n" in text or len(text) < _RUN_ON:
        return text
    return "\n\n".join(p.strip() for p in _PARAGRAPH_START.split(text) if p.strip())


def grids(blocks: list) -> list[Grid]:
    """The tables of a section."""
    return [b for b in blocks if isinstance(b, Grid)]
