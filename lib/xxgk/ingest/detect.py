"""Find the report's identity: agency name, report year, format (by year, confirmed by table labels),
publication date, 落款 and contact; derive a stable agency id."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from xxgk.formats import FIRST_YEAR, FORMAT_IDS, format_for_year, get_format
from xxgk.i18n import _
from xxgk.ingest import labels
from xxgk.ingest.source import IngestError, SourceDoc, TextBlock

_NAME = r"[\u4e00-\u9fff（）()·]{2,40}?"
_REPORT = r"政府信息(?:公开|与政务公开)(?:工作)?(?:年度)?(?:工作)?(?:年报|报告)"
TITLE_NAME_FIRST = re.compile(rf"(?P<name>{_NAME})(?P<year>(?:19|20)\d\d)年度?(?:本级)?{_REPORT}")
TITLE_YEAR_FIRST = re.compile(rf"(?P<year>(?:19|20)\d\d)年度?(?P<name>{_NAME})?{_REPORT}")
_PERIOD = re.compile(r"((?:19|20)\d\d)年1月1日(?:起)?(?:至|到|—|-)((?:19|20)\d\d)年12月31日")
_DATE = re.compile(r"((?:19|20)\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "001123456789")
_CONTACT = re.compile(r"请与(?P<who>[^，。；,;：:（(]{2,40}?)联系[，,：:]?\s*(?P<paren>[（(][^（）()]{4,200}[）)])?")
_OLD_MARKERS = (
    "政府信息公开情况统计表",
    "指标名称",
    "计量单位",
    "同意公开答复数",
    "同意部分公开答复数",
    "主动公开政府信息数",
)


@dataclass
class Identity:
    """What the document says about itself."""

    name: str | None
    year: int | None  # the year used: --year if given, else the document's
    found_year: int | None  # the year the document states (title, else statistics period)
    title: str | None  # the title as found (normalised)
    format_id: str | None  # format confirmed by labels (None when the labels do not tell)
    marker_counts: dict


def compact(text: str) -> str:
    """Text without any whitespace (for titles split over lines or with spaces between digits and 年)."""
    return re.sub(r"\s+", "", text or "")


def find_title(doc: SourceDoc) -> tuple[str | None, int | None, str | None]:
    """(agency name, report year, title text) from the page title or the first text blocks."""
    candidates: list[str] = [compact(doc.title)] if doc.title else []
    texts = [b for b in doc.blocks[:6] if isinstance(b, TextBlock)]
    for k in range(min(3, len(texts))):
        candidates.append(compact("".join(t.text for t in texts[: k + 1]))[:160])
    found: tuple | None = None
    for text in candidates:
        for rx in (TITLE_NAME_FIRST, TITLE_YEAR_FIRST):
            m = rx.search(text)
            if m and (rx is TITLE_YEAR_FIRST or not m["name"].startswith("关于")):
                name = (m["name"] or "").strip() or None
                if found is None or (found[0] is None and name):
                    found = (name, int(m["year"]), m.group())
                break
        if found and found[0]:
            break
    return found or (None, None, None)


def title_length(text: str) -> int:
    """Length (in non-space characters) of a report title at the start of a text, 0 if there is none."""
    t = compact(text)
    for rx in (TITLE_NAME_FIRST, TITLE_YEAR_FIRST):
        m = rx.match(t)
        if m:
            return m.end()
    return 0


def period_year(text: str) -> int | None:
    """The report year from a statistics period 「自2020年1月1日起至2020年12月31日止」."""
    m = _PERIOD.search(compact(text))
    return int(m.group(2)) if m and m.group(1) == m.group(2) else None


def parse_date(text: str | None) -> dt.date | None:
    """A date in 「2021年1月20日」, 「2024-01-17 15:22」 or 「二〇二一年一月二十日」 form."""
    if not text:
        return None
    t = _cn_date(compact(text))
    m = _DATE.search(t)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _cn_date(t: str) -> str:
    m = re.search(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日", t)
    if not m:
        return t
    y = m[1].translate(_CN_DIGITS)
    mo, d = labels.cn_number(m[2]), labels.cn_number(m[3])
    return f"{y}年{mo}月{d}日" if mo and d else t


def is_date_line(text: str) -> bool:
    """Whether a line is just a date (a 落款 date)."""
    t = _cn_date(compact(text))
    return bool(
        re.fullmatch(r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日", t) or re.fullmatch(r"(?:19|20)\d\d-\d{1,2}-\d{1,2}", t)
    )


def find_contact(text: str) -> str | None:
    """「请与X联系（地址…电话…）」 → 「X（地址…电话…）」."""
    m = _CONTACT.search(text)
    if not m:
        return None
    who = m["who"].strip()
    if m["paren"]:
        return who + "（" + m["paren"][1:-1] + "）"
    rest = text[m.end() :].lstrip("。；; ")
    nxt = re.split(r"[。\n]", rest, maxsplit=1)[0]
    if re.match(r"(联系)?(地址|电话|邮编)", nxt):
        return f"{who}（{nxt.strip()}）"
    return who


@functools.cache
def _markers() -> dict[str, frozenset[str]]:
    """Labels printed only in one format's tables (core-normalised), from the format data."""
    sets = {}
    for fid in FORMAT_IDS:
        fmt = get_format(fid)
        labs = set()
        for t in fmt.tables:
            for b in t.blocks:
                labs.update(c.label for c in b.columns)
                labs.update(r.label for r in b.rows)
                if b.title:
                    labs.add(b.title)
        sets[fid] = {labels.core(x) for x in labs}
    out = {}
    for fid in FORMAT_IDS:
        others = set().union(*(sets[o] for o in FORMAT_IDS if o != fid))
        # short labels (「其他」) are too common in prose to tell formats apart
        out[fid] = frozenset(x for x in sets[fid] - others if len(x) >= 4)
    return out


def format_evidence(doc: SourceDoc) -> dict[str, int]:
    """How many format-specific table labels of each format the document prints."""
    text = labels.norm(doc.all_text())
    return {fid: sum(1 for m in marks if m in text) for fid, marks in _markers().items()}


def identify(doc: SourceDoc, year: int | None = None) -> Identity:
    """Agency name, report year and the format the labels confirm; refuses pre-2019 reports."""
    name, title_year, title = find_title(doc)
    text = doc.all_text()
    found_year = title_year or period_year(text)
    y = year or found_year
    counts = format_evidence(doc)
    national = sum(counts.values())
    if y is not None and y < FIRST_YEAR:
        raise IngestError(doc.path, f"a report for {y}, before the national formats (first report year "
                          f"{FIRST_YEAR}); pre-2019 reports used the abolished 政府信息公开情况统计表 and cannot be ingested")  # fmt: skip
    norm_text = labels.norm(text)
    if national == 0 and sum(1 for m in _OLD_MARKERS if m in norm_text) >= 2:
        raise IngestError(doc.path, "the tables are the pre-2019 政府信息公开情况统计表, not a national format "
                          "(国办公开办函〔2019〕60号 or 〔2021〕30号); pre-2019 reports cannot be ingested")  # fmt: skip
    fid = None
    if counts:
        top = max(counts.values())
        leaders = [f for f, n in counts.items() if n == top]
        if top >= 2 and len(leaders) == 1:
            fid = leaders[0]
    return Identity(name, y, found_year, title, fid, counts)


def choose_format(ident: Identity, path: str) -> tuple[str, str | None]:
    """The format to read the tables with, and a note when the labels contradict the year."""
    by_year = format_for_year(ident.year).id if ident.year else None
    if ident.format_id and by_year and ident.format_id != by_year:
        return ident.format_id, (f"the tables use the {ident.format_id} format's labels although report year "
                                 f"{ident.year} prescribes the {by_year} format; read with the {ident.format_id} format")  # fmt: skip
    fid = ident.format_id or by_year
    if fid is None:
        raise IngestError(path, _("cannot tell the report year (no title with a year, no statistics period); pass --year"))
    return fid, None


_ADMIN = "省市县区州盟旗"


def agency_slug(name: str) -> str:
    """A stable id slug for an agency name: pinyin, split after the administrative division
    (淮安市人民政府 → huaianshi-renminzhengfu)."""
    from pypinyin import lazy_pinyin

    parts, cur = [], ""
    for i, ch in enumerate(name):
        cur += ch
        if ch in _ADMIN and len(cur) >= 2 and i + 1 < len(name) and name[i + 1] not in _ADMIN + "场直委级辖":
            parts.append(cur)
            cur = ""
    if cur:
        parts.append(cur)
    words = []
    for p in parts:
        s = "".join(lazy_pinyin(p)).lower()
        s = re.sub(r"[^a-z0-9]+", "", s)
        if s:
            words.append(s)
    slug = "-".join(words)[:60].strip("-")
    return slug or "agency"
