"""Pictures of a web page read through OCR: portals often publish the statistical tables as ``<img>`` files next
to the page (``report_files/t3.png``), inside a saved web archive (.mht MIME parts) or as inline ``data:``
URIs. The HTML reader leaves a ``Picture`` marker where each stood; ``resolve`` replaces it by the tables and
lines OCR reads in it. A source outside the page's folder, a web address, a symlink, a picture over the size
bounds (``limits.MAX_PICTURE_*``) or past ``MAX_PICTURES`` is not read, and the reason joins the doubts."""

from __future__ import annotations

import base64
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np

from xxgk import limits
from xxgk.i18n import _
from xxgk.ingest.source import GCell, Grid, SourceDoc, TextBlock

MIN_SIDE = 60  # pictures smaller than this on a side are icons, bullets and spacers: never a table
_DATA_IMAGE = re.compile(r"data:(image/[a-z0-9.+-]+)?(;[^,\"'<>\s]*)?,([^\s\"'<>()]{256,})", re.I)
_DATA_URI = re.compile(r"data:[^\s\"'<>()]{256,}", re.I)
_DATA_KEY = "data:,xxgk-picture-"
#: table labels that show the page's own HTML tables already hold the national tables
_HTML_TABLES = (("第二十条",), ("本年新收", "申请人情况"), ("行政复议",))


@dataclass
class Picture:
    """Where an ``<img>`` stood in the page: its ``src`` and DOM path (removed by ``resolve``)."""

    src: str
    source: str


class Refused(Exception):
    """A picture that is not read, with the reason."""


@dataclass
class Resources:
    """Where a page's pictures come from: its folder, the parts of its web archive, its inline data: URIs."""

    folder: Path | None = None
    parts: dict[str, bytes] = field(default_factory=dict)
    inline: dict[str, bytes | None] = field(default_factory=dict)

    def load(self, src: str) -> bytes:
        """The bytes of a picture, or ``Refused`` with the reason."""
        if src.startswith(_DATA_KEY):
            data = self.inline.get(src)
            if data is None:
                raise Refused(_("its data: URI is over {size} (MAX_PICTURE_BYTES) or not base64").format(
                    size=limits.size_text(limits.MAX_PICTURE_BYTES)))  # fmt: skip
            return data
        if src.lower().startswith("data:"):
            raise Refused(_("a data: URI that holds no picture"))
        for key in (src, unquote(src), src.removeprefix("cid:"), f"cid:{src.removeprefix('cid:')}"):
            if key in self.parts:
                return self.parts[key]
        if self.parts and (hit := _by_name(self.parts, src)) is not None:
            return hit
        parts = urlsplit(src)
        if parts.scheme or src.startswith("//"):
            raise Refused(_("a web address; pictures are never fetched, save the page with its pictures"))
        if self.folder is None:
            raise Refused(_("not inside the web archive") if self.parts else _("the page's folder is not known"))
        return _from_folder(self.folder, unquote(parts.path))


def _by_name(parts: dict[str, bytes], src: str) -> bytes | None:
    """A MIME part whose Content-Location ends with the picture's relative path (archives store full URLs)."""
    rel = unquote(urlsplit(src).path).lstrip("./")
    hits = [v for k, v in parts.items() if rel and unquote(urlsplit(k).path).endswith("/" + rel)]
    return hits[0] if len(hits) == 1 else None


def _from_folder(folder: Path, rel: str) -> bytes:
    if not rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel) or "\\" in rel:
        raise Refused(_("an absolute path; only pictures inside the page's folder are read"))
    norm = os.path.normpath(rel)
    if norm == ".." or norm.startswith("../"):
        raise Refused(_("outside the page's folder"))
    p = folder
    for part in Path(norm).parts:
        p = p / part
        if p.is_symlink():
            raise Refused(_("a symbolic link; only plain files inside the page's folder are read"))
    if not p.is_file():
        raise Refused(_("no such file beside the page"))
    size = p.stat().st_size
    if size > limits.MAX_PICTURE_BYTES:
        raise Refused(_("{size} (limit {cap}: MAX_PICTURE_BYTES)").format(
            size=limits.size_text(size), cap=limits.size_text(limits.MAX_PICTURE_BYTES)))
    return p.read_bytes()


def extract_data_uris(text: str) -> tuple[str, dict[str, bytes | None]]:
    """The page with each inline picture replaced by a short key, and the decoded pictures by key (None when
    over ``MAX_PICTURE_BYTES``); other long data: URIs are dropped (never text of the report)."""
    found: dict[str, bytes | None] = {}

    def keep(m: re.Match) -> str:
        if not m[1] or "base64" not in (m[2] or "").lower():
            return "data:,"
        key = f"{_DATA_KEY}{len(found) + 1}"
        data = None
        if len(m[3]) * 3 // 4 <= limits.MAX_PICTURE_BYTES:
            try:
                data = base64.b64decode(m[3] + "=" * (-len(m[3]) % 4), validate=False)
            except ValueError:
                data = None
        found[key] = data
        return key

    text = _DATA_IMAGE.sub(keep, text)
    return _DATA_URI.sub("data:,", text), found


def archive_parts(msg) -> dict[str, bytes]:
    """The non-HTML parts of a web archive by Content-Location and by ``cid:`` Content-ID."""
    out: dict[str, bytes] = {}
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() == "text/html":
            continue
        data = part.get_payload(decode=True) or b""
        if loc := part.get("Content-Location"):
            out[loc.strip()] = data
        if cid := part.get("Content-ID"):
            out[f"cid:{cid.strip().strip('<>')}"] = data
    return out


def _has_own_tables(doc: SourceDoc) -> bool:
    text = " ".join(b.text() for b in doc.blocks if isinstance(b, Grid))
    return all(any(k in text for k in keys) for keys in _HTML_TABLES)


def resolve(doc: SourceDoc, res: Resources, ocr_mode: str = "auto") -> None:
    """Replace the page's ``Picture`` markers by what OCR reads in them (``ocr_mode`` auto: only when the page's
    own HTML tables do not already hold the national tables); note every picture left out."""
    marks = [b for b in doc.blocks if isinstance(b, Picture)]
    if not marks:
        return
    from xxgk.ingest import ocr

    reason = None
    if ocr_mode == "never":
        reason = _("--ocr never was given")
    elif ocr_mode == "auto" and _has_own_tables(doc):
        doc.blocks = [b for b in doc.blocks if not isinstance(b, Picture)]
        return
    elif not ocr.available():
        reason = _("reading pictures needs OCR, which is not installed; {install}").format(install=ocr.INSTALL)
    if reason:
        doc.notes.append(_("{n} picture(s) of the page not read: {reason}").format(n=len(marks), reason=reason))
        doc.blocks = [b for b in doc.blocks if not isinstance(b, Picture)]
        return
    out: list = []
    read = 0
    for b in doc.blocks:
        if not isinstance(b, Picture):
            out.append(b)
            continue
        if read >= limits.MAX_PICTURES:
            continue
        blocks = _read_one(doc, res, b)
        if blocks is not None:
            read += 1
            out.extend(blocks)
    if len(marks) > limits.MAX_PICTURES and read >= limits.MAX_PICTURES:
        doc.notes.append(_("the page has {n} pictures; only the first {limit} were read (limit MAX_PICTURES)").format(
            n=len(marks), limit=limits.MAX_PICTURES))  # fmt: skip
    doc.blocks = out


def _read_one(doc: SourceDoc, res: Resources, pic: Picture) -> list | None:
    """The blocks OCR reads in one picture; None (and no note) for icons and spacers; [] when refused."""
    from xxgk.ingest import ocr
    from xxgk.ingest.pdf import _paragraphs

    name = pic.src if not pic.src.startswith(_DATA_KEY) else f"inline picture {pic.src.removeprefix(_DATA_KEY)}"
    limits.tick(f"picture {name}")
    try:
        gray = load_picture(res.load(pic.src))
    except Refused as why:
        doc.notes.append(_("picture 「{name}」 ({source}) not read: {why}").format(name=name[:120], source=pic.source, why=why))
        return []
    if min(gray.size) < MIN_SIDE:
        return None
    items = ocr.page_items(1, gray, estimate_dpi(np.asarray(gray)))
    if not any(isinstance(it, Grid) for _, _, it in items):
        doc.notes.append(_("picture 「{name}」 ({source}): OCR found no table in it; its text is left out").format(
            name=name[:120], source=pic.source))
        return []
    label = f"picture 「{name[:120]}」 at {pic.source}"
    blocks = _paragraphs(items)
    for blk in blocks:
        _relabel(blk, label)
    return blocks


def _relabel(block, label: str) -> None:
    """Provenance 「page 1, …」 of a one-page OCR reading as 「picture X at DOM path, …」."""
    def sub(s: str) -> str:
        return label + s[len("page 1") :] if s.startswith("page 1") else f"{label}, {s}"

    block.source = sub(block.source)
    if isinstance(block, TextBlock):
        return
    seen: set[int] = set()
    for row in block.rows:
        for c in row:
            if isinstance(c, GCell) and id(c) not in seen:
                seen.add(id(c))
                c.source = sub(c.source)


def load_picture(data: bytes):
    """A greyscale PIL image of a picture's first frame, within ``MAX_PICTURE_PIXELS``; else ``Refused``."""
    from PIL import Image, UnidentifiedImageError

    try:
        im = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise Refused(_("not a readable picture ({kind})").format(kind=exc.__class__.__name__)) from None
    with im:
        check_pixels(im.size)
        try:
            if im.mode in ("RGBA", "LA", "PA", "P"):  # transparent areas are the page's white
                rgba = im.convert("RGBA")
                bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                return Image.alpha_composite(bg, rgba).convert("L")
            return im.convert("L")
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise Refused(_("not a readable picture ({kind})").format(kind=exc.__class__.__name__)) from None


def check_pixels(size: tuple[int, int], path=None) -> None:
    """Refuse a picture (``Refused``) or, with ``path``, an image page (``LimitError``) over MAX_PICTURE_PIXELS."""
    w, h = size
    if w * h > limits.MAX_PICTURE_PIXELS:
        found, cap = f"{w}×{h} = {w * h:,} pixels", f"{limits.MAX_PICTURE_PIXELS:,} pixels"
        if path is not None:
            raise limits.LimitError(path, _("an image page is"), found, cap, "MAX_PICTURE_PIXELS")
        raise Refused(_("{found} (limit {cap}: MAX_PICTURE_PIXELS)").format(found=found, cap=cap))


def check_frame(path, n: int, size: tuple[int, int]) -> None:
    """Refuse an image file past ``MAX_IMAGE_FRAMES`` pages or with a page over ``MAX_PICTURE_PIXELS``."""
    if n > limits.MAX_IMAGE_FRAMES:
        raise limits.LimitError(path, _("the image has more than"), _("{n} pages").format(n=limits.MAX_IMAGE_FRAMES),
                                str(limits.MAX_IMAGE_FRAMES), "MAX_IMAGE_FRAMES")  # fmt: skip
    check_pixels(size, path)


def page_dpi(gray, declared: float | None) -> float:
    """The resolution to read an image page at: the one it declares, else an A4 page's width, when the size of
    its characters agrees (within a factor 1.8); else the one its characters give. A JPEG or screenshot often
    declares 72 dpi whatever it holds: believed, a 150 dpi scan would be read 2.8 times too large."""
    est = estimate_dpi(np.asarray(gray))
    for dpi in (declared, gray.width / 8.27):
        if dpi and est / 1.8 <= dpi <= est * 1.8:
            return float(dpi)
    return est


def estimate_dpi(gray: np.ndarray) -> float:
    """A resolution for a picture that states none: from the height of its characters (the tall ones are about
    1/7 inch at the type size of a report's tables), so OCR sees the text at its working size."""
    import cv2

    dark = (gray < 160).astype(np.uint8)
    n, _labels, st, _centroids = cv2.connectedComponentsWithStats(dark, connectivity=8)
    w, h = st[1:n, 2], st[1:n, 3]
    ok = (h >= 4) & (w >= 2) & (h <= 4 * w) & (w <= 4 * h) & (h < gray.shape[0] / 3)
    if ok.sum() < 5:
        return 150.0
    return float(min(600.0, max(50.0, np.percentile(h[ok], 90) * 7)))
