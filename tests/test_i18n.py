"""The interface language: the Chinese catalog is complete and compiled, every option has a help text in both
languages, and the language is chosen by --lang (before or after the subcommand), xxgk.toml, then the locale."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from xxgk import cli, i18n
from xxgk.i18n import _cells, wrap_cells

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def _no_workspace(monkeypatch):
    """No xxgk.toml around the test run decides the language (conftest.py resets it to English after)."""
    monkeypatch.setenv("XXGK_NO_WORKSPACE", "1")


def _help(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 0
    return capsys.readouterr().out


# ------------------------------------------------------------------ the catalog


def test_catalog_has_a_translation_of_every_marked_message():
    catalog = i18n.read_catalog()
    extracted = [m.id for m in i18n.extract() if m.id]
    assert len(extracted) > 100
    missing = [mid for mid in extracted if catalog.get(mid) is None]
    assert not missing, f"run python -m xxgk.i18n update: {missing[:5]}"
    untranslated = [mid for mid in extracted if not i18n._translated(catalog.get(mid))]
    assert not untranslated, f"untranslated (scripts/translate.py): {untranslated[:5]}"


def test_shipped_mo_is_the_compiled_po():
    assert i18n.MO_FILE.read_bytes() == i18n.compiled_bytes(), "run python -m xxgk.i18n compile"


# ------------------------------------------------------------------ every option has help in both languages


def _helps(lang: str) -> dict[tuple[str, str], str]:
    """(command, option) → help text of the parser built in ``lang``; SUPPRESSed (hidden) options left out."""
    i18n.activate(lang)
    parser = cli._parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = {}
    for name, p in [("", parser), *subs.choices.items()]:
        for action in p._actions:
            if action.help == argparse.SUPPRESS:
                continue
            key = "/".join(action.option_strings) or action.metavar or action.dest
            found[(name, key)] = action.help
    for choice in subs._choices_actions:
        found[(choice.dest, "(command)")] = choice.help
        found[(choice.dest, "(description)")] = subs.choices[choice.dest].description
    return found


def test_every_option_and_command_has_help_in_english_and_in_chinese():
    en, zh = _helps("en"), _helps("zh")
    assert en.keys() == zh.keys()
    assert len({cmd for cmd, _ in en}) == len(cli.COMMANDS) + 2  # + the top level and completion
    assert ("form", "--year") in en and ("demo", "--seed") in en and ("export", "PARAMS") in en
    assert ("ingest", "FILE") in en and ("build", "--executor") in en and ("review", "RULE") in en
    no_help = sorted(k for k, v in en.items() if not v or not v.strip())
    assert not no_help, no_help
    same = sorted(k for k in en if zh[k] == en[k])
    assert not same, same
    assert zh[("build", "--params")] == "参数文件目录（默认：params）"
    assert zh[("rollup", "(command)")] == "把下属单位的表格汇总为上级单位的表格（汇总报告）"


# ------------------------------------------------------------------ choosing the language


def test_lang_zh_before_or_after_the_subcommand(capsys):
    top = _help(["--lang", "zh", "--help"], capsys)
    assert "用法：xxgk" in top and "生成官方格式的 Excel 填报表" in top and "界面语言" in top
    for argv in (["build", "--lang", "zh", "--help"], ["--lang", "zh", "build", "--help"],
                 ["build", "--lang=zh", "--help"]):  # fmt: skip
        out = _help(argv, capsys)
        assert "由参数文件生成报告（HTML、PDF、DOCX）" in out and "并行进程数（默认：CPU 核数）" in out, argv
        assert "parallel workers" not in out


def test_lang_after_the_subcommand_does_not_clobber_the_one_before():
    i18n.activate("en")
    parser = cli._parser()
    assert parser.parse_args(["--lang", "en", "init"]).lang == "en"
    assert parser.parse_args(["init", "--lang", "zh"]).lang == "zh"
    assert parser.parse_args(["init"]).lang is None


def test_locale_zh_in_a_subprocess():
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="zh_CN.UTF-8", XXGK_NO_WORKSPACE="1", COLUMNS="100")
    res = subprocess.run([sys.executable, "-m", "xxgk.cli", "build", "--help"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=60)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("用法：xxgk build") and "即使输出已是最新也重新生成" in res.stdout


def test_locale_c_gives_english_and_zh_locale_chinese(capsys, monkeypatch):
    monkeypatch.setenv("XXGK_NO_WORKSPACE", "1")
    monkeypatch.setenv("LANG", "C.UTF-8")
    out = _help(["form", "--help"], capsys)
    assert out.startswith("usage: xxgk form") and "report year; it decides the official format" in out
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = _help(["form", "--help"], capsys)
    assert "报告年度，决定采用哪一版官方格式" in out
    monkeypatch.setenv("LANGUAGE", "en_US:zh_CN")  # LANGUAGE comes first
    assert "report year; it decides" in _help(["form", "--help"], capsys)


def test_workspace_language_and_lang_en_beats_it(tmp_path, capsys, monkeypatch):
    (tmp_path / "xxgk.toml").write_text('language = "zh"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.delenv("XXGK_NO_WORKSPACE", raising=False)
    assert "一个年度或年度范围（默认：2019-2024）" in _help(["demo", "--help"], capsys)
    for argv in (["--lang", "en", "demo", "--help"], ["demo", "--help", "--lang", "en"]):
        out = _help(argv, capsys)
        assert "a year or a range of years (default: 2019-2024)" in out and "一个年度或年度范围" not in out


def test_errors_under_zh_are_chinese_and_exit_2(capsys, monkeypatch):
    monkeypatch.setenv("XXGK_NO_WORKSPACE", "1")
    with pytest.raises(SystemExit) as exc:
        cli.main(["--lang", "zh", "ingest", "--ocr", "maybe", "x.pdf"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "xxgk ingest：错误：参数 --ocr：无效的选择：'maybe'（可选 'auto', 'never', 'always'）" in err
    with pytest.raises(SystemExit) as exc:
        cli.main(["demo", "--agencies", "0", "--lang", "zh"])
    assert exc.value.code == 2
    assert "参数 --agencies：应为 1–10000 之间的整数，实际为 '0'" in capsys.readouterr().err


def test_init_writes_the_interface_language(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XXGK_NO_WORKSPACE", "1")
    for argv, lang in ((["init", "a", "--lang", "en"], "en"), (["--lang", "en", "init", "b"], "en"),
                       (["init", "c"], "zh"), (["init", "d", "--lang", "zh"], "zh")):  # fmt: skip
        argv = [str(tmp_path / a) if a in "abcd" else a for a in argv]
        assert cli.main(argv) == 0
        toml = (tmp_path / argv[argv.index("init") + 1] / "xxgk.toml").read_text(encoding="utf-8")
        assert f'language = "{lang}"' in toml, argv


# ------------------------------------------------------------------ the help layout for Chinese


def test_wrap_cells_keeps_lines_inside_the_width():
    text = "界面语言：zh（中文）或 en（英文）；默认取 xxgk.toml 的设置，其次取系统语言环境"
    for width in (12, 20, 31, 54):
        lines = wrap_cells(text, width)
        assert all(_cells(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line[0] in "，。；：、）" for line in lines)
        assert not any(line[-1] in "（" for line in lines)
    assert wrap_cells(text, 20) == ["界面语言：zh（中文）", "或 en（英文）；默认", "取 xxgk.toml 的设",
                                    "置，其次取系统语言环", "境"]  # fmt: skip


def test_chinese_help_fits_the_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    out = _help(["--lang", "zh", "ingest", "--help"], capsys)
    lines = out.splitlines()
    assert max(_cells(line) for line in lines) <= 72
    assert lines[0].startswith("用法：xxgk ingest [-h]")
    indent = " " * _cells("用法：xxgk ingest ")  # the continuation lines start under "[-h]"
    continued = lines[1:lines.index("")]
    assert continued and all(line.startswith(indent) and line[len(indent)] != " " for line in continued)
