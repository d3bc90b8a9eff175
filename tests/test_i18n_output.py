"""What the commands print at run time, in Chinese (``--lang zh``, ``LANG=zh_CN.UTF-8``, ``language = "zh"``)
and in English: real CLI runs in subprocesses, in a scratch workspace, asserting whole lines."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LIB = ROOT / "lib"


def xxgk(*argv: str, cwd: Path, lang: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``xxgk [--lang LANG] ARGV…`` in ``cwd`` with the package of this checkout."""
    environ = {**os.environ, "PYTHONPATH": str(LIB), "LANG": "C.UTF-8", **(env or {})}
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        environ.pop(key, None)
    cmd = [sys.executable, "-m", "xxgk.cli", *(["--lang", lang] if lang else []), *argv]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=environ, timeout=300)


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory) -> Path:
    """A workspace with two demo agencies (and the county government of the roster) for 2020."""
    ws = tmp_path_factory.mktemp("ws")
    assert xxgk("init", ".", cwd=ws).returncode == 0
    done = xxgk("demo", "--agencies", "3", "--years", "2020", "--out", "params", cwd=ws)
    assert done.returncode == 0, done.stderr
    return ws


def test_init_in_both_languages(tmp_path):
    zh = xxgk("init", "zh", cwd=tmp_path, lang="zh")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.splitlines() == [
        "xxgk init：已写入 xxgk.toml",
        "xxgk init：已写入 .gitignore",
        "xxgk init：已写入 使用说明.md",
        "xxgk init：已写入 params/agencies.yaml",
        f"xxgk init：工作区已在 {(tmp_path / 'zh').resolve()} 建好",
    ]
    en = xxgk("init", "en", cwd=tmp_path, lang="en")
    assert en.stdout.splitlines()[0] == "xxgk init: wrote xxgk.toml"
    assert en.stdout.splitlines()[-1] == f"xxgk init: workspace ready in {(tmp_path / 'en').resolve()}"
    again = xxgk("init", "zh", cwd=tmp_path, lang="zh")
    assert again.returncode == 2
    assert again.stderr.strip() == f"xxgk init：{(tmp_path / 'zh').resolve() / 'xxgk.toml'} 已存在，不予覆盖"


def test_demo_line(tmp_path):
    zh = xxgk("demo", "--agencies", "3", "--years", "2020-2021", "--out", "p", cwd=tmp_path, lang="zh")
    assert zh.stdout.strip() == "已写入 6 个示例参数文件（3 个单位 × 2 个年度）和花名册 agencies.yaml 到 p；demo-gov 是其余单位的汇总报告"
    en = xxgk("demo", "--agencies", "3", "--years", "2020-2021", "--out", "q", cwd=tmp_path, lang="en")
    assert en.stdout.strip() == ("wrote 6 demo params files (3 agencies × 2 years) and the roster agencies.yaml to q; "
                                 "demo-gov is the consolidated report of the others")


def test_check_summary(demo_ws):
    zh = xxgk("check", "params/2020/demo-001.yaml", "params/2020/demo-002.yaml", cwd=demo_ws, lang="zh")
    assert zh.returncode == 0, zh.stderr
    lines = zh.stdout.splitlines()
    assert lines[0] == "params/2020/demo-001.yaml：示例县教育局（示例）（demo-001），2020 年度，格式 2019"
    assert lines[1:3] == ["  状态：无问题", "  没有发现问题"]
    assert lines[-1] == ("共检查 2 份报告（错误 0 份，不完整 0 份，警告 0 份，无问题 2 份）："
                         "错误 0 项，警告 0 项，无法判断 0 项")  # fmt: skip
    en = xxgk("check", "params/2020/demo-001.yaml", "params/2020/demo-002.yaml", cwd=demo_ws, lang="en")
    assert en.stdout.splitlines()[1] == "  state: clean (无问题)"
    assert en.stdout.splitlines()[-1] == ("2 reports checked (0 error, 0 incomplete, 0 warning, 2 clean): "
                                          "0 error(s), 0 warning(s), 0 not assessable")  # fmt: skip


def test_cli_user_error_by_flag_and_by_locale(demo_ws):
    zh = xxgk("build", "--agency", "demo-01", cwd=demo_ws, lang="zh")
    assert zh.returncode == 2 and "Traceback" not in zh.stderr
    where = demo_ws.resolve() / "params"
    assert zh.stderr.strip() == (f"xxgk build：{where} 中没有单位 'demo-01'；有参数的单位：demo-001, demo-002, demo-gov"
                                 "；是否要找 'demo-001'？")  # fmt: skip
    # outside the workspace (no xxgk.toml): the locale chooses
    outside = demo_ws.parent
    by_locale = xxgk("build", "--params", str(where), "--agency", "demo-01", cwd=outside, env={"LANG": "zh_CN.UTF-8"})
    assert by_locale.stderr == zh.stderr
    assert xxgk("build", "--params", str(where), "--agency", "demo-01", cwd=outside).stderr.startswith(
        "xxgk build: unknown agency")
    en = xxgk("build", "--agency", "demo-01", cwd=demo_ws, lang="en")
    assert en.stderr.strip() == (f"xxgk build: unknown agency 'demo-01' in {where}; agencies with params: "
                                 "demo-001, demo-002, demo-gov; did you mean 'demo-001'?")  # fmt: skip


def test_xxgk_toml_language_and_its_own_errors(tmp_path):
    assert xxgk("init", ".", cwd=tmp_path).returncode == 0
    toml = tmp_path / "xxgk.toml"
    assert 'language = "zh"' in toml.read_text(encoding="utf-8")  # init's default; the locale here is C
    out = xxgk("build", "--jobs", "0", cwd=tmp_path)
    assert out.stderr.splitlines()[-1] == "xxgk build：错误：参数 --jobs：应为 1–128 之间的整数，实际为 '0'"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "zh"', 'language = "en"'), encoding="utf-8")
    out = xxgk("build", "--jobs", "0", cwd=tmp_path)
    assert out.stderr.splitlines()[-1] == "xxgk build: error: argument --jobs: expected a whole number 1–128, got '0'"
    # a broken xxgk.toml is reported before its language is known: in the language of --lang or the locale
    toml.write_text('langage = "zh"\n', encoding="utf-8")
    zh = xxgk("list", cwd=tmp_path, env={"LANG": "zh_CN.UTF-8"})
    assert zh.returncode == 2
    assert zh.stderr.strip() == f"xxgk：{toml.resolve()}:1：未知的键 'langage'；是否要找 'language'？"
    en = xxgk("list", cwd=tmp_path, lang="en")
    assert en.stderr.strip() == f"xxgk: {toml.resolve()}:1: unknown key 'langage'; did you mean 'language'?"


_BUILD_ZH = [
    r"xxgk build：选中 1 份报告；0 份已是最新（检查用时 \d+\.\d\d 秒），1 份待生成，使用 1 个 local 进程",
    r"\[1/1\] 正常    2020/demo-001  \d+\.\d秒  \(无问题: 错误 0，警告 0\)",
    r"xxgk build：生成 1 份，失败 0 份，用时 \d+\.\d 秒，每份 \d+\.\d\d 秒",
]
_BUILD_EN = [
    r"xxgk build: 1 report selected; 0 up to date \(checked in \d+\.\d\d s\), 1 to build with 1 local worker",
    r"\[1/1\] ok      2020/demo-001  \d+\.\ds  \(clean: errors 0, warnings 0\)",
    r"xxgk build: 1 built, 0 failed in \d+\.\d s, \d+\.\d\d s/report",
]


def test_build_progress_and_summary(demo_ws):
    for lang, expected in (("zh", _BUILD_ZH), ("en", _BUILD_EN)):
        out = xxgk("build", "--agency", "demo-001", "--formats", "html", "--quiet", "--no-site", "--force",
                   "--jobs", "1", cwd=demo_ws, lang=lang)  # fmt: skip
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert len(lines) == 3, out.stdout
        for line, pattern in zip(lines, expected, strict=True):
            assert re.fullmatch(pattern, line), (line, pattern)
    fresh = xxgk("build", "--agency", "demo-001", "--formats", "html", "--quiet", "--no-site", cwd=demo_ws, lang="zh")
    assert re.fullmatch(r"xxgk build：选中 1 份报告；1 份已是最新（检查用时 \d+\.\d\d 秒），0 份待生成", fresh.stdout.strip())


def test_ingest_summary(tmp_path):
    from tests.ingest.util import official_html
    from xxgk.params import load_params

    (tmp_path / "r.html").write_bytes(official_html(load_params(ROOT / "params" / "2020" / "yuyao-commerce.yaml")))
    zh = xxgk("ingest", "r.html", "-o", "zh", cwd=tmp_path, lang="zh")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.splitlines()[0] == ("r.html → zh/2020/yuyaoshi-shangwuju.yaml：余姚市商务局 2020 年度，格式 2019；"
                                         "读出 198/198 个单元格，0 个存疑；检查：错误 0 项，警告 1 项 (N-YEAR)")  # fmt: skip
    en = xxgk("ingest", "r.html", "-o", "en", cwd=tmp_path, lang="en")
    assert en.stdout.splitlines()[0] == ("r.html → en/2020/yuyaoshi-shangwuju.yaml: 余姚市商务局 2020, format 2019; "
                                         "198/198 cells read, 0 uncertain; checker: 0 errors, 1 warnings (N-YEAR)")  # fmt: skip
    again = xxgk("ingest", "r.html", "-o", "zh", cwd=tmp_path, lang="zh")
    assert again.returncode == 2
    assert again.stderr.strip() == "xxgk ingest：r.html：zh/2020/yuyaoshi-shangwuju.yaml 已存在；加 --force 可覆盖"


def test_office_status(demo_ws):
    zh = xxgk("status", "--year", "2020", "--today", "2021-01-10", cwd=demo_ws, lang="zh")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.splitlines()[-1] == "情况表：build/2020/status.html"
    en = xxgk("status", "--year", "2020", "--today", "2021-01-10", cwd=demo_ws, lang="en")
    assert en.stdout.splitlines()[-1] == "board: build/2020/status.html"


def test_doctor(tmp_path):
    zh = xxgk("doctor", cwd=tmp_path, lang="zh")
    lines = zh.stdout.splitlines()
    assert re.fullmatch(r"xxgk doctor — Python \d+\.\d+\.\d+，位于 .+", lines[0])
    assert "正常    Python 包 pyyaml：" + __import__("importlib.metadata").metadata.version("pyyaml") in lines
    marks = ("正常", "缺失", "未装", "        解决办法：")
    assert all(line.startswith(marks) for line in lines[1:-1]), lines
    assert lines[-1] in ("生成报告所需的一切均已就绪。",) or re.fullmatch(r"缺少 \d+ 项必需组件；修复之前无法生成报告。", lines[-1])
    assert "Python 包 pyyaml" not in xxgk("doctor", cwd=tmp_path, lang="en").stdout


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh not installed")
def test_zsh_completion_quotes_chinese_help(tmp_path):
    """The zsh script parses, and zsh hands _arguments option specs whose Chinese help keeps its text and
    escapes the characters _arguments treats specially (``:`` ``[`` ``]``)."""
    pytest.importorskip("shtab")
    for lang in ("zh", "en"):
        script = tmp_path / f"_xxgk_{lang}"
        script.write_text(xxgk("completion", "zsh", cwd=tmp_path, lang=lang).stdout, encoding="utf-8")
        assert subprocess.run(["zsh", "-n", str(script)], capture_output=True).returncode == 0
    # load the script with _arguments/_describe replaced by printers, and ask for the build options
    probe = (f"compdef() {{ :; }}; _arguments() {{ print -rl -- \"$@\"; }}; _describe() {{ :; }}; "
             f"source {tmp_path / '_xxgk_zh'}; print -rl -- \"${{_shtab_xxgk_build_options[@]}}\"")  # fmt: skip
    out = subprocess.run(["zsh", "-f", "-c", probe], capture_output=True, text=True, timeout=30)
    specs = out.stdout.splitlines()
    params = next(s for s in specs if s.startswith("--params["))
    assert params == "--params[参数文件目录\\（默认\\：params\\）]:DIR:"
    # a help with the spec's own special characters stays one spec: no bare ] or : inside the brackets
    for spec in specs:
        if spec.startswith("--") and "[" in spec:
            body = spec[spec.index("[") + 1:]
            inner = re.split(r"(?<!\\)\]", body, maxsplit=1)[0]
            assert not re.search(r"(?<!\\)[:\[]", inner), spec
