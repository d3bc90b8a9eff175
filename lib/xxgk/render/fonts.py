"""A real CJK font for matplotlib, registered from explicit file paths (the font cache may be stale).

Families are tried in order; the first one whose font file exists is registered with
``font_manager.addfont`` and made the sans-serif default. No CJK font → UserError saying what to install.
"""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import N_, _

#: preferred families, in order (Linux, then Windows, then macOS names)
FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Songti SC",
)

#: font files that hold those families (glob patterns below the font directories)
FILE_PATTERNS = (
    "**/NotoSansCJK-Regular.ttc",
    "**/NotoSansCJKsc-Regular.otf",
    "**/SourceHanSans*.tt[cf]",
    "**/SourceHanSansSC-Regular.otf",
    "**/NotoSerifCJK-Regular.ttc",
    "**/SourceHanSerif*.tt[cf]",
    "**/wqy-microhei.ttc",
    "**/wqy-zenhei.ttc",
    "msyh.ttc",
    "simhei.ttf",
    "PingFang.ttc",
    "Hiragino Sans GB.ttc",
    "STHeiti Medium.ttc",
    "Songti.ttc",
)

INSTALL_HINT = N_(
    "no CJK font found for the charts; install one, e.g. `sudo apt-get install fonts-noto-cjk` "
    "(Debian/Ubuntu), then `rm -rf ~/.cache/matplotlib`; Windows and macOS ship Microsoft YaHei / PingFang SC"
)

_chosen: str | None = None


def font_dirs() -> list[Path]:
    """Directories that may hold system or user fonts on this platform."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        dirs = [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    elif sys.platform == "darwin":
        dirs = [Path("/System/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"),
                Path("/Library/Fonts"), home / "Library" / "Fonts"]  # fmt: skip
    else:
        dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]
    extra = os.environ.get("XXGK_FONT_DIR")
    return ([Path(extra)] if extra else []) + [d for d in dirs if d.is_dir()]


def cjk_font_files() -> list[Path]:
    """CJK font files found on this machine, in order of preference."""
    found: list[Path] = []
    dirs = font_dirs()
    for pattern in FILE_PATTERNS:
        for d in dirs:
            for name in sorted(glob.glob(str(d / pattern), recursive=pattern.startswith("**"))):
                p = Path(name)
                if p not in found:
                    found.append(p)
    return found


def setup_fonts() -> str:
    """Register the first available CJK font with matplotlib and make it the default; return its family."""
    global _chosen
    import matplotlib
    from matplotlib import font_manager

    if _chosen is None:
        known = {f.fname for f in font_manager.fontManager.ttflist}
        for path in cjk_font_files():
            if str(path) not in known:
                font_manager.fontManager.addfont(str(path))
        names = {f.name for f in font_manager.fontManager.ttflist}
        _chosen = next((fam for fam in FAMILIES if fam in names), None)
        if _chosen is None:
            raise UserError(_(INSTALL_HINT))
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [_chosen, *[f for f in FAMILIES if f != _chosen], "DejaVu Sans"]
    rc["axes.unicode_minus"] = False
    rc["svg.fonttype"] = "path"
    rc["svg.hashsalt"] = "xxgk"
    return _chosen
