"""A workspace: a folder with an ``xxgk.toml`` holding the defaults of every command (params and output
directories, jobs, formats, language, template notebook). Commands run anywhere below it find it upward."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import N_, _
from xxgk.limits import MAX_JOBS
from xxgk.params_write import write_text_atomic

FILENAME = "xxgk.toml"
LANGUAGES = ("zh", "en")
FORMATS = ("html", "pdf", "docx")
#: key → (type, description); the only keys an xxgk.toml may have
KEYS = {
    "params": (str, N_("params directory, relative to xxgk.toml")),
    "out": (str, N_("output directory, relative to xxgk.toml")),
    "jobs": (int, N_("parallel workers of xxgk build")),
    "formats": (list, N_("output formats of xxgk build, a list of html, pdf, docx")),
    "language": (str, N_("language of the command line, zh or en")),
    "template": (str, N_("template notebook, relative to xxgk.toml (default: the packaged one)")),
}


class WorkspaceError(UserError):
    """An ``xxgk.toml`` that cannot be read or has a wrong key or value."""


@dataclass(frozen=True)
class Workspace:
    """The settings of a workspace; paths are absolute."""

    root: Path
    params: Path
    out: Path
    jobs: int | None = None
    formats: tuple[str, ...] | None = None
    language: str | None = None
    template: Path | None = None


def find(start: str | Path | None = None) -> Path | None:
    """The nearest ``xxgk.toml`` in ``start`` (default: the cwd) or a parent; None outside a workspace."""
    here = Path(start or Path.cwd()).resolve()
    for parent in (here, *here.parents):
        if (parent / FILENAME).is_file():
            return parent / FILENAME
    return None


def _line(text: str, key: str) -> int | None:
    m = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def load(path: str | Path) -> Workspace:
    """Read and validate an ``xxgk.toml``; WorkspaceError with file:line for what is wrong."""
    path = Path(path).resolve()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(_("{path}: not valid TOML: {exc}").format(path=path, exc=exc)) from None

    def where(key: str) -> str:
        line = _line(text, key)
        return f"{path}:{line}" if line else str(path)

    for key, value in data.items():
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = (_("; did you mean {name!r}?").format(name=close[0]) if close
                    else _("; known keys: {keys}").format(keys=", ".join(KEYS)))  # fmt: skip
            raise WorkspaceError(_("{where}: unknown key {key!r}{hint}").format(where=where(key), key=key, hint=hint))
        typ, what = KEYS[key]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise WorkspaceError(_("{where}: {key} ({what}): expected {name}, got {value!r}").format(where=where(key), key=key, what=_(what), name=typ.__name__, value=value))
    if "jobs" in data and not 1 <= data["jobs"] <= MAX_JOBS:
        raise WorkspaceError(_("{where}: jobs: expected 1–{limit}, got {jobs}").format(where=where("jobs"), limit=MAX_JOBS, jobs=data["jobs"]))
    formats = data.get("formats")
    if formats is not None:
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise WorkspaceError(_("{where}: formats: expected a list of {formats}, got {formats2!r}").format(where=where('formats'), formats=', '.join(FORMATS), formats2=formats))
    lang = data.get("language")
    if lang is not None and lang not in LANGUAGES:
        raise WorkspaceError(_("{where}: language: expected one of {languages}, got {lang!r}").format(where=where('language'), languages=', '.join(LANGUAGES), lang=lang))
    root = path.parent

    FLAGS = {"params": "--params DIR", "out": "--out DIR", "template": "--notebook FILE"}  # noqa: N806

    def inside(key: str, default: str) -> Path:
        """A settings path: relative, and inside the workspace (a shared xxgk.toml cannot send files elsewhere)."""
        value = data.get(key, default)
        target = Path(os.path.normpath(root / value))
        if Path(value).is_absolute() or not target.is_relative_to(root):
            raise WorkspaceError(_("{where}: {key}: {value!r} is outside the workspace {root}; paths in xxgk.toml stay "
                                   "inside it (give another place on the command line: {flag})").format(
                where=where(key), key=key, value=value, root=root, flag=FLAGS[key]))
        return target.resolve()

    template = None
    if "template" in data:
        template = inside("template", "")
        if not template.is_file():
            raise WorkspaceError(_("{where}: template: {template} not found").format(where=where('template'), template=template))
    return Workspace(root=root, params=inside("params", "params"), out=inside("out", "build"), jobs=data.get("jobs"),
                     formats=tuple(formats) if formats else None, language=lang, template=template)  # fmt: skip


def current(start: str | Path | None = None) -> Workspace | None:
    """The workspace around ``start`` (default: the cwd), or None; ``XXGK_NO_WORKSPACE=1`` ignores any."""
    if os.environ.get("XXGK_NO_WORKSPACE"):
        return None
    path = find(start)
    return load(path) if path else None


# ------------------------------------------------------------------ xxgk init

CONFIG = """\
# xxgk workspace settings; every xxgk command run in this folder or below uses them.
params = "params"            # params files: params/<year>/<agency>.yaml
out = "build"                # outputs of xxgk build
jobs = {jobs:<22}# parallel workers of xxgk build
formats = ["html", "pdf"]    # add "docx" for Word files
language = {language:<18}# command-line language: "zh" or "en"
# template = "notebooks/report.ipynb"   # your own template notebook (default: the one shipped with xxgk)
"""

GITIGNORE = """\
build/
.ipynb_checkpoints/
"""

GUIDE = """\
# 使用说明

这是一个 xxgk 工作区：`xxgk.toml` 记录默认设置，在本文件夹及其子文件夹中运行的 xxgk 命令都会使用它。

- `params/<年度>/<机构代码>.yaml`：每个机构每年一份参数文件（报告的数据和文字）。
- `xxgk check`：检查 `params/` 中所有报告的勾稽关系，每条问题带规则编号。
- `xxgk build`：生成报告（HTML、PDF；在 `xxgk.toml` 的 `formats` 中加 `"docx"` 可生成 Word），输出在 `build/`，
  打开 `build/index.html` 查看全部报告。`report.*` 用于公开发布，`analysis.*` 仅供内部分析，不要公开。
- `xxgk list`：列出全部报告及其状态。
- `xxgk open 机构代码 年度`：在 JupyterLab 中打开该报告的笔记本副本（模板不会被改动）。
- `xxgk new --agency 机构代码 --year 年度`：以上一年的参数文件为基础开始新一年的报告。
- `xxgk ingest 报告.pdf`：把已发布的报告（PDF、HTML、Word、Excel 表格、文本）读回参数文件。
- `xxgk form --year 年度`：生成官方格式的 Excel 填报表。
- `params/agencies.yaml`：本办管理的全部单位名册（代码、全称、层级、上级、联系方式、类别）。有了名册，
  `xxgk forms --year 年度 -o 填报表` 为每个单位生成预填的填报表，`xxgk collect 回收文件夹 --year 年度` 读回，
  `xxgk status --year 年度` 查看谁未报送、谁有错误，`xxgk rollup --agency 上级代码 --year 年度` 汇总本级政府报告。

每个命令的说明：`xxgk 命令 --help`。
"""


EMPTY_ROSTER = """\
# xxgk office roster: every agency the office oversees, one line each (id, full name, level, parent, contact, group).
# Used by xxgk forms / collect / status / rollup; params files may then omit the agency's name, level and parent.
# level: 县级以上人民政府部门, 县级以上人民政府办公厅（室）, 乡镇人民政府, 街道办事处, 县级政府, 地市级政府, 省级政府,
#        垂直管理系统; parent: the id of the agency it reports to (a consolidated report sums its children).
# Example:
#   - {id: yuyao, name: 余姚市人民政府, level: 县级政府, group: 本级政府}
#   - {id: yuyao-commerce, name: 余姚市商务局, level: 县级以上人民政府部门, parent: yuyao, group: 部门}
agencies: []
"""


def sample_roster() -> str:
    """The roster of ``xxgk init --sample``: the sample agency (余姚市商务局) and its parent 余姚市人民政府."""
    from xxgk.params import load_params
    from xxgk.roster import Member, dump_roster

    a = load_params(sample_params()).agency
    return dump_roster([Member("yuyao", "余姚市人民政府", "县级政府", group="本级政府"),
                        Member(a.id, a.name, a.level, a.parent, group="部门")])  # fmt: skip


def init(directory: str | Path, sample: bool = False, language: str = "zh") -> list[Path]:
    """Create a workspace in ``directory``; return the files written. Never overwrites an existing file."""
    root = Path(directory).resolve()
    if (root / FILENAME).exists():
        raise WorkspaceError(_("{value} already exists; not overwriting it").format(value=root / FILENAME))
    (root / "params").mkdir(parents=True, exist_ok=True)
    written = []
    files = {FILENAME: CONFIG.format(jobs=min(os.cpu_count() or 1, 4), language=f'"{language}"'),
             ".gitignore": GITIGNORE, "使用说明.md": GUIDE}  # fmt: skip
    files["params/agencies.yaml"] = sample_roster() if sample else EMPTY_ROSTER
    if sample:
        files["params/2020/yuyao-commerce.yaml"] = sample_params().read_text(encoding="utf-8")
    for name, text in files.items():
        target = root / name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(write_text_atomic(target, text))
    return written


def sample_params() -> Path:
    """The packaged sample params file (余姚市商务局 2020)."""
    return Path(str(resources.files("xxgk") / "samples" / "2020" / "yuyao-commerce.yaml"))


def packaged_notebook(name: str) -> Path:
    """A template notebook shipped inside the package: ``report.ipynb`` or ``overview.ipynb``."""
    return Path(str(resources.files("xxgk") / "notebooks" / name))


def main(args) -> int:
    """``xxgk init DIR [--sample]``."""
    written = init(args.directory, sample=args.sample, language=getattr(args, "lang", None) or "zh")
    root = Path(args.directory).resolve()
    for p in written:
        print(_("xxgk init: wrote {p}").format(p=p.relative_to(root)))
    print(_("xxgk init: workspace ready in {root}").format(root=root))
    return 0
