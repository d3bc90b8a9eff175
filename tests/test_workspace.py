"""xxgk.toml: found upward, validated with file:line, and its settings the defaults of the commands."""

from __future__ import annotations

import pytest

from xxgk import cli, workspace
from xxgk.workspace import WorkspaceError


def test_init_writes_a_workspace_that_loads(tmp_path):
    written = workspace.init(tmp_path / "ws", sample=True)
    names = sorted(p.relative_to(tmp_path / "ws").as_posix() for p in written)
    assert names == [".gitignore", "params/2020/yuyao-commerce.yaml", "params/agencies.yaml", "xxgk.toml", "使用说明.md"]
    ws = workspace.load(tmp_path / "ws" / "xxgk.toml")
    assert ws.params == (tmp_path / "ws" / "params").resolve() and ws.out == (tmp_path / "ws" / "build").resolve()
    assert ws.formats == ("html", "pdf") and ws.language == "zh" and ws.template is None
    assert "build/" in (tmp_path / "ws" / ".gitignore").read_text()
    with pytest.raises(WorkspaceError, match="already exists"):
        workspace.init(tmp_path / "ws")


def test_init_writes_the_roster(tmp_path):
    from xxgk.params import discover, load_params
    from xxgk.roster import check_params_agencies, load_roster

    workspace.init(tmp_path / "s", sample=True)
    roster = load_roster(tmp_path / "s" / "params" / "agencies.yaml")
    assert [(m.id, m.name, m.level, m.parent, m.group) for m in roster.members.values()] == [
        ("yuyao", "余姚市人民政府", "县级政府", None, "本级政府"),
        ("yuyao-commerce", "余姚市商务局", "县级以上人民政府部门", "yuyao", "部门")]  # fmt: skip
    assert check_params_agencies(roster, discover(tmp_path / "s" / "params")) == []
    sample = load_params(tmp_path / "s" / "params" / "2020" / "yuyao-commerce.yaml", roster.agencies())
    assert sample.agency.parent == "yuyao"
    workspace.init(tmp_path / "e")
    text = (tmp_path / "e" / "params" / "agencies.yaml").read_text(encoding="utf-8")
    assert "# Example:" in text and "余姚市人民政府" in text  # commented, as a guide
    assert load_roster(tmp_path / "e" / "params" / "agencies.yaml").members == {}
    # the office commands accept the empty roster: nobody to chase yet
    assert cli.main(["status", "--year", "2022", "--params", str(tmp_path / "e" / "params"),
                     "--out", str(tmp_path / "e" / "build")]) == 0  # fmt: skip


def test_found_from_a_subdirectory(tmp_path):
    workspace.init(tmp_path)
    (tmp_path / "params" / "2020").mkdir(parents=True, exist_ok=True)
    assert workspace.find(tmp_path / "params" / "2020") == tmp_path / "xxgk.toml"
    assert workspace.find(tmp_path.parent) is None or workspace.find(tmp_path.parent) != tmp_path / "xxgk.toml"


@pytest.mark.parametrize(
    "text, message",
    [
        ('params = "p"\njbos = 2\n', r"xxgk.toml:2: unknown key 'jbos'; did you mean 'jobs'\?"),
        ('jobs = "2"\n', r"xxgk.toml:1: jobs \(parallel workers of xxgk build\): expected int, got '2'"),
        ("jobs = 0\n", r"xxgk.toml:1: jobs: expected 1–128, got 0"),
        ("jobs = 100000\n", r"xxgk.toml:1: jobs: expected 1–128, got 100000"),
        ('\nout = "../../elsewhere"\n', r"xxgk.toml:2: out: '../../elsewhere' is outside the workspace .*--out DIR\)"),
        ('params = "/etc"\n', r"xxgk.toml:1: params: '/etc' is outside the workspace .*--params DIR\)"),
        ('template = "sub/../../x.ipynb"\n', r"xxgk.toml:1: template: 'sub/../../x.ipynb' is outside the workspace .*--notebook FILE\)"),
        ('\n\nformats = ["html", "odt"]\n', r"xxgk.toml:3: formats: expected a list of html, pdf, docx"),
        ('language = "fr"\n', r"xxgk.toml:1: language: expected one of zh, en, got 'fr'"),
        ('template = "mine.ipynb"\n', r"xxgk.toml:1: template: .*mine.ipynb not found"),
        ("jobs = = 2\n", r"xxgk.toml: not valid TOML: .*line 1"),
    ],
)
def test_bad_settings_name_file_line_and_expectation(tmp_path, text, message):
    (tmp_path / "xxgk.toml").write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=message):
        workspace.load(tmp_path / "xxgk.toml")


def test_commands_take_their_defaults_from_the_workspace(tmp_path, monkeypatch, capsys):
    (tmp_path / "mine.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "xxgk.toml").write_text(
        'params = "data"\nout = "site"\njobs = 3\nformats = ["html", "docx"]\ntemplate = "mine.ipynb"\n', encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    parser = cli._parser()
    cli._apply_workspace(parser, workspace.current())
    b = parser.parse_args(["build"])
    assert (b.params, b.out, b.jobs, b.formats, b.notebook) == (
        str(tmp_path / "data"), str(tmp_path / "site"), 3, "html,docx", str(tmp_path / "mine.ipynb"))
    assert parser.parse_args(["build", "--jobs", "1", "--out", "x"]).jobs == 1  # an explicit flag wins
    assert parser.parse_args(["check"]).paths == [str(tmp_path / "data")]
    assert parser.parse_args(["ingest", "a.pdf"]).out == str(tmp_path / "data")
    (tmp_path / "xxgk.toml").write_text("jobs = true\n", encoding="utf-8")
    assert cli.main(["list"]) == 2
    assert "xxgk.toml:1: jobs" in capsys.readouterr().err


def test_a_settings_path_inside_the_workspace_may_name_a_subfolder(tmp_path):
    (tmp_path / "xxgk.toml").write_text('params = "data/params"\nout = "./site/../build2"\n', encoding="utf-8")
    ws = workspace.load(tmp_path / "xxgk.toml")
    assert (ws.params, ws.out) == ((tmp_path / "data" / "params").resolve(), (tmp_path / "build2").resolve())


def test_build_jobs_are_bounded_on_the_command_line(capsys):
    from xxgk.cli import main

    with pytest.raises(SystemExit) as e:
        main(["build", "--jobs", "100000"])
    assert e.value.code == 2
    assert "argument --jobs: expected a whole number 1–128, got '100000'" in capsys.readouterr().err
