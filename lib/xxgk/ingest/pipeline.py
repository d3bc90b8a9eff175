"""Read one published report into a Report: reader → identity → sections → tables → cells with provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xxgk import limits
from xxgk.formats import get_format
from xxgk.i18n import _
from xxgk.ingest import detect, flat, grid, labels, sections
from xxgk.ingest.aliases import EXTENSION_IDS
from xxgk.ingest.source import Grid, IngestError, SourceDoc, TextBlock, cell_text
from xxgk.model import Agency, Cell, Extension, ExtensionRow, Provenance, Report, Signature

READERS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "docx", ".pdf": "pdf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}  # fmt: skip
TABLE_OF_SECTION = {"s2": "t2", "s3": "t3", "s4": "t4"}


@dataclass
class Ingested:
    """An ingested report and what the parser doubts (separate from the document's own defects)."""

    report: Report
    doubts: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def uncertain_cells(self) -> list[str]:
        """Cell ids whose value the parser is not sure of."""
        return [cid for cid, p in self.report.provenance.items() if p.uncertain]


def read_source(path: str | Path, ocr: str = "auto") -> SourceDoc:
    """Read a file with the reader for its type (``ocr``: auto|never|always, for scanned PDFs and images)."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(path, _("no such file"))
    from xxgk.ingest import convert

    kind = READERS.get(path.suffix.lower()) or (None if convert.target_of(path) else _sniff(path))
    if kind == "text":
        from xxgk.ingest.text import read_text

        return read_text(path)
    if kind == "html":
        from xxgk.ingest.html import read_html

        return read_html(path, ocr)
    if kind == "docx":
        from xxgk.ingest.docx import read_docx

        return read_docx(path)
    if kind == "pdf":
        from xxgk.ingest.pdf import read_pdf

        return read_pdf(path, ocr=ocr)
    if kind == "image":
        if ocr == "never":
            raise IngestError(path, _("an image can only be read with OCR; --ocr never was given"))
        from xxgk.ingest.ocr import read_scanned

        return read_scanned(path)
    target = convert.target_of(path)
    if target == "html":
        from xxgk.ingest.html import parse_html
        from xxgk.ingest.pictures import Resources

        html, _charset, parts = convert.web_archive_html(path)
        doc = parse_html(html, str(path), ocr, Resources(parts=parts))
        doc.kind = "mht"
        return doc
    if target == "docx":
        from xxgk.ingest.docx import read_docx

        with convert.converted(path, "docx") as docx:
            doc = read_docx(docx)
        doc.path, doc.kind = str(path), f"{path.suffix.lower().lstrip('.')} (converted by LibreOffice)"
        return doc
    if target == "xlsx":
        raise IngestError(path, _("a {suffix} sheet is read as the Excel data-entry form: use xxgk ingest").format(suffix=path.suffix))
    raise IngestError(path, _("unsupported file type {suffix}; expected .pdf, .html, .docx, .doc, .wps, .rtf, .odt, .mht, .xlsx, .xls, .et, .txt or an image (.png .jpg .tif)").format(suffix=path.suffix or '(none)'))  # fmt: skip


def _sniff(path: Path) -> str | None:
    with path.open("rb") as f:
        head = f.read(2048)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low or b"<table" in low:
        return "html"
    if b"\x00" not in head:
        return "text"
    return None


def ingest_file(path: str | Path, year: int | None = None, agency_id: str | None = None, ocr: str = "auto") -> Ingested:
    """Ingest one published report file."""
    with limits.time_budget(path):
        return ingest_doc(read_source(path, ocr), year=year, agency_id=agency_id)


def ingest_doc(doc: SourceDoc, year: int | None = None, agency_id: str | None = None) -> Ingested:
    """Turn a read document into a Report with provenance for every cell, plus the parser's doubts."""
    if not doc.blocks or not doc.all_text().strip():
        raise IngestError(doc.path, _("no text found; not a report"))
    ident = detect.identify(doc, year)
    doubts: list[str] = list(doc.notes)
    if year and ident.found_year and year != ident.found_year:
        doubts.append(_("the document says report year {found_year}; using --year {year}").format(found_year=ident.found_year, year=year))
    if not any(ident.marker_counts.values()) and not _has_tables(doc):
        raise IngestError(doc.path, "no statistical tables of a national format found; not an annual report "
                          "(政府信息公开工作年度报告)?")  # fmt: skip
    fid, note = detect.choose_format(ident, doc.path)
    if note:
        doubts.append(note)
    fmt = get_format(fid)
    if ident.year is None:
        raise IngestError(
            doc.path, _("cannot tell the report year (no title with a year, no statistics period); pass --year")
        )
    limits.tick("finding the sections")
    layout = sections.split(doc.blocks, fmt)
    meta = _meta_grids(layout.preamble)
    name = ident.name or doc.publisher or meta.get("publisher") or _tail_agency(layout.tail)
    if not name:
        if not agency_id:
            raise IngestError(doc.path, "cannot find the agency's name (no title 「…年政府信息公开工作年度报告」, "
                              "no 落款); pass --agency-id and set agency.name in the params file")  # fmt: skip
        name = agency_id
        doubts.append(_("agency name not found in the document; set agency.name by hand"))
    level, level_doubt = _level(name)
    if level_doubt:
        doubts.append(level_doubt)
    report = Report(agency=Agency(agency_id or detect.agency_slug(name), name, level), year=ident.year, format_id=fid)
    report.source = doc.path
    _narrative(report, layout, fmt, doubts)
    limits.tick("reading the tables")
    _tables(report, doc, layout, fmt, doubts)
    if doc.kind == "ocr" or any(isinstance(b, Grid) and b.source.endswith("(OCR)") for b in doc.blocks):
        from xxgk.ingest.ocrcheck import confirm  # a scan, or a web page whose tables are pictures

        doubts.extend(confirm(report, fmt))
    limits.tick("the signature")
    sig = _signature(layout.tail, name)
    report.signature = sig
    report.published = (
        detect.parse_date(doc.published) or detect.parse_date(meta.get("published")) or (sig.date if sig else None)
    )
    if report.published is None:
        doubts.append("no publication date or 落款 date found")
    report.contact = detect.find_contact(report.preamble) or detect.find_contact("\n".join(report.sections.values()))
    for s in fmt.sections:
        if s.id not in report.sections:
            doubts.append(_("section 「{heading}」 not found").format(heading=s.heading))
            report.sections[s.id] = ""
    return Ingested(report, doubts, doc.path)


def _has_tables(doc: SourceDoc) -> bool:
    return any(isinstance(b, Grid) and _classify(b) for b in doc.blocks)


def _narrative(report: Report, layout: sections.Layout, fmt, doubts: list[str]) -> None:
    report.preamble = sections.part_text([b for b in layout.preamble if isinstance(b, TextBlock)])
    prev = None
    for part in layout.parts:
        text = sections.part_text(part.blocks)
        if part.sid is None:
            if text and prev:
                report.sections[prev] = (
                    report.sections.get(prev, "") + f"\n\n{part.numeral}、{part.title}\n\n{text}"
                ).strip()
                doubts.append(_("text of the local section 「{numeral}、{title}」 appended to {prev}").format(numeral=part.numeral, title=part.title, prev=prev))
            continue
        prev = part.sid
        report.sections[part.sid] = text
        official = fmt.section(part.sid).title
        if detect.compact(part.title) != official:
            report.section_titles[part.sid] = part.title


def _classify(g: Grid) -> str | None:
    """Which national table a grid (or a page's piece of one) is, from its labels."""
    t = labels.norm(g.text())
    t3_rows = sum(1 for k in grid.row_keys("2021", "t3") if labels.core(k.label) in t)
    if "本年度办理结果" in t or "申请人情况" in t or t3_rows >= 3:
        return "t3"
    if "第二十条" in t or (
        "信息内容" in t and any(w in t for w in ("规章", "行政许可", "行政处罚", "行政强制", "收费", "采购"))
    ):
        return "t2"
    if "行政复议" in t and "行政诉讼" in t:
        return "t4"
    return None


def _tables(report: Report, doc: SourceDoc, layout: sections.Layout, fmt, doubts: list[str]) -> None:
    found: dict[str, list[Grid]] = {"t2": [], "t3": [], "t4": []}
    prev_sid = None
    for part in layout.parts:
        for b in _join_continued(part.blocks) if part.sid is None else part.blocks:
            if not isinstance(b, Grid):
                continue
            kind = _classify(b) or TABLE_OF_SECTION.get(part.sid or "")
            if kind and not (part.sid is None and _classify(b) is None):
                found[kind].append(b)
            elif part.sid is None:
                report.extensions.append(_extension(b, part, prev_sid or "s1", len(report.extensions)))
            elif len(b.rows) > 1 and max(len(r) for r in b.rows) > 1:
                doubts.append(_("a table in {sid} ({source}) is not a national table; left out").format(sid=part.sid, source=b.source))
        if part.sid:
            prev_sid = part.sid
    for b in layout.preamble:
        if isinstance(b, Grid) and _classify(b):
            found[_classify(b)].append(b)
    mentioned = {int(x) for x in re.findall(r"\d+", report.preamble + report.section_text("s1")) if len(x) < 12}
    for tid, grids in found.items():
        if not grids:
            part = next((p for p in layout.parts if TABLE_OF_SECTION.get(p.sid or "") == tid), None)
            blocks = [b for b in part.blocks if isinstance(b, TextBlock)] if part else []
            if blocks:
                grids, left, fdoubts = flat.rebuild(blocks, get_format(fmt.id), tid, mentioned)
                doubts.extend(fdoubts)
                if grids:
                    report.sections[part.sid] = sections.part_text(left)
                    doubts.extend(_run_on_locals(left, tid, part.sid))
        mapped = grid.map_wide(fmt, tid, grids) if tid == "t4" else grid.map_rows(fmt, tid, grids)
        doubts.extend(mapped.doubts)
        report.cells.update(mapped.cells)
        report.provenance.update(mapped.provenance)
    missing_rows: dict[str, list[str]] = {}
    for cid in fmt.cell_ids():
        if cid not in report.cells:
            spec = fmt.cell(cid)
            report.cells[cid] = Cell.blank()
            report.provenance[cid] = Provenance("", 0.0, True, f"row 「{spec.row.label}」 not found in the document")
            missing_rows.setdefault(spec.table.id, []).append(spec.row.label)
    for tid, rows in missing_rows.items():
        uniq = list(dict.fromkeys(rows))
        doubts.append(_("{table}: {n} row(s) not found: {rows}").format(
            table=tid, n=len(uniq), rows="、".join(uniq[:5]) + ("…" if len(uniq) > 5 else "")))


def _run_on_locals(left: list[TextBlock], tid: str, sid: str) -> list[str]:
    """Local numbered sections left in run-on text after a flattened table: their tables cannot be read."""
    return [
        f"「{b.text.strip()[:24]}…」 after the flattened {tid} ({b.source}) looks like a local section with a table; "
        f"run-on text does not allow reading it, so it is kept as text of {sid}"
        for b in left
        if re.match(r"^[一二三四五六七八九十]{1,2}[、.．]", b.text.strip()) and re.search(r"\d", b.text)
    ]


def _join_continued(blocks: list) -> list:
    """A local table continued over a page break (two grids with only page chrome between them, as many
    columns, the header repeated or not) as one grid."""
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Grid) and isinstance(prev, Grid) and b.rows and prev.rows and len(b.rows[0]) == len(prev.rows[0]):
            head = [cell_text(c.text) for c in prev.rows[0]]
            rows = b.rows[1:] if [cell_text(c.text) for c in b.rows[0]] == head else b.rows
            out[-1] = Grid(prev.rows + rows, prev.source, prev.exact, prev.flat)
            continue
        out.append(b)
    return out


def _extension(g: Grid, part: sections.Part, after: str, index: int) -> Extension:
    """A local table (e.g. 公开平台建设和信息发布情况) as an Extension: header row, then labelled rows."""
    rows = g.distinct_rows()
    header = [re.sub(r"\s+", "", cell_text(c.text)) for c in rows[0]] if rows else []
    width = max(len(header), 2)
    body = []
    for r in rows[1:]:
        raw = r[0].text if r else ""
        lines = [ln.strip(" \t\u3000") for ln in raw.split("\n")]
        label = "\n".join(ln for ln in lines if ln)
        lead = len(raw) - len(raw.lstrip(" \t\u3000"))
        vals = [_ext_value(cell_text(c.text)) for c in r[1:]]
        vals = (vals + [None] * width)[: width - 1]
        body.append((label, lead, vals))
    levels = indent_levels([label for label, _, _ in body], [lead for _, lead, _ in body])
    ext_rows = [ExtensionRow(label, vals, lvl) for (label, _, vals), lvl in zip(body, levels)]
    title = part.title
    ext_id = EXTENSION_IDS.get(labels.norm(title), f"ext{index + 1}")
    return Extension(id=ext_id, title=title, after=after, columns=header, rows=ext_rows)


def indent_levels(row_labels: list[str], leads: list[int]) -> list[int]:
    """Indent levels of extension rows: from the numbering (一、 → 0, （一） → 1, 1. → 2, 其中 → one deeper),
    else from the rank of the leading spaces."""
    ranks = sorted(set(leads))
    base = 1 if ranks and ranks[0] > 0 else 0
    out: list[int] = []
    prev = None
    for label, lead in zip(row_labels, leads):
        t = labels.norm(label)
        if re.match(r"^[一二三四五六七八九十]+[、.]", t):
            lvl = 0
        elif re.match(r"^\([一二三四五六七八九十]+\)", t):
            lvl = 1
        elif re.match(r"^\d+[.、]", t):
            lvl = 2
        elif t.startswith("其中") and prev is not None:
            lvl = prev + 1
        else:
            lvl = base + ranks.index(lead)
        if not t.startswith("其中"):
            prev = lvl
        out.append(lvl)
    return out


def _ext_value(text: str):
    if not text:
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    return text


def _meta_grids(blocks: list) -> dict:
    """Page metadata tables before the report (名称 / 发布机构 / 公开日期)."""
    out = {}
    for b in blocks:
        if not isinstance(b, Grid):
            continue
        for row in b.distinct_rows():
            texts = [cell_text(c.text) for c in row]
            for k, t in enumerate(texts[:-1]):
                key = re.sub(r"\s+", "", t).rstrip(":：")
                if key in ("公开日期", "发布日期", "发文日期", "成文日期") and "published" not in out:
                    out["published"] = texts[k + 1]
                elif key in ("发布机构", "发文机关", "公开机构") and texts[k + 1]:
                    out["publisher"] = texts[k + 1]
    return out


def _tail_agency(tail: list) -> str | None:
    texts = [b.text for b in tail if isinstance(b, TextBlock) and not detect.is_date_line(b.text)]
    return texts[0].strip() if texts else None


def _signature(tail: list, name: str) -> Signature | None:
    texts = [b.text.strip() for b in tail if isinstance(b, TextBlock)]
    date = next((detect.parse_date(t) for t in texts if detect.is_date_line(t)), None)
    who = next((t for t in texts if not detect.is_date_line(t)), None)
    if not texts:
        return None
    return Signature(who or name, date)


def _level(name: str) -> tuple[str, str | None]:
    """The agency level from its name (decides the publication deadline); a note when it is a guess."""
    n = name.strip()
    if re.search(r"(办公厅|办公室)$", n) and "人民政府" in n:
        return "县级以上人民政府办公厅（室）", None
    if n.endswith("街道办事处"):
        return "街道办事处", None
    if re.search(r"[乡镇]人民政府$", n):
        return "乡镇人民政府", None
    if re.search(r"(省|自治区)人民政府$", n) or n in (
        "北京市人民政府",
        "天津市人民政府",
        "上海市人民政府",
        "重庆市人民政府",
    ):
        return "省级政府", None
    if re.search(r"(州|盟)人民政府$", n):
        return "地市级政府", None
    if re.search(r"[县区旗]人民政府$", n) or re.search(r"(实验区|新区|开发区|试验区)(管理委员会|管委会)?$", n):
        return "县级政府", "agency level guessed from the name: 县级政府"
    if n.endswith("市人民政府"):
        return "地市级政府", "agency level guessed from the name: 地市级政府 (a county-level city would be 县级政府)"
    return "县级以上人民政府部门", None
