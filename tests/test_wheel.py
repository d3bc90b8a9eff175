"""The wheel stands alone: built from the package sources only, installed into a fresh venv, it creates a
workspace and runs demo, build, check, list and ingest in an empty folder outside the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(cmd, cwd, env, timeout=120):
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, f"{cmd}: exit {res.returncode}\n{res.stdout}\n{res.stderr}"
    return res.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the wheel installed; the dependencies come from this interpreter's site-packages."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # only what the wheel is built from: no notebooks/, params/ or tests/ of the repository
    shutil.copytree(ROOT / "lib", src / "lib", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)], tmp, dict(os.environ))
    (wheel,) = dist.glob("xxgk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "xxgk/notebooks/report.ipynb" in names and "xxgk/notebooks/overview.ipynb" in names
    assert "xxgk/samples/2020/yuyao-commerce.yaml" in names

    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    purelib = Path(subprocess.check_output([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                           text=True).strip())  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XXGK_", "JUPYTER"))}
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)],
         tmp, clean)  # fmt: skip
    # then the dependencies, as a path entry: the .pth files there (the repository's editable xxgk) are not processed
    (purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = dict(clean)
    # what `pip install` of nbconvert/jupyter would have put into the venv's share/jupyter
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["LANG"] = "C.UTF-8"
    return env_dir / "bin" / "xxgk", env


def test_wheel_workspace_demo_build_check_ingest(installed, tmp_path):
    xxgk, env = installed
    where = subprocess.check_output([xxgk.parent / "python", "-c", "import xxgk; print(xxgk.__file__)"], env=env,
                                    cwd=tmp_path, text=True)  # fmt: skip
    assert str(xxgk.parents[1]) in where  # the installed copy, not the repository's lib/
    ws = tmp_path / "office"
    _run([xxgk, "init", str(ws), "--sample"], tmp_path, env)
    assert (ws / "params" / "2020" / "yuyao-commerce.yaml").is_file() and (ws / "使用说明.md").is_file()
    # init wrote the sample's roster: demo refuses to replace it unless told to
    refused = subprocess.run([xxgk, "demo", "--agencies", "1", "--years", "2021", "--out", "params"], cwd=ws, env=env,
                             capture_output=True, text=True)  # fmt: skip
    assert refused.returncode == 2 and "agencies.yaml" in refused.stderr and "--force" in refused.stderr
    _run([xxgk, "demo", "--agencies", "1", "--years", "2021", "--out", "params", "--force"], ws, env)

    out = _run([xxgk, "build", "--agency", "yuyao-commerce", "--jobs", "1", "--quiet"], ws / "params", env, 180)
    assert "选中 1 份报告" in out  # the workspace says language = "zh"
    report = ws / "build" / "2020" / "yuyao-commerce"
    assert "余姚市商务局" in (report / "report.html").read_text(encoding="utf-8")
    assert (report / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (ws / "build" / "index.html").is_file()

    checked = _run([xxgk, "check", "--json"], ws, env)
    agencies = {r["agency"] for r in json.loads(checked)["reports"]}
    assert "yuyao-commerce" in agencies and len(agencies) == 2
    listed = _run([xxgk, "list"], ws, env)
    assert "2020  yuyao-commerce" in listed and "已生成" in listed

    _run([xxgk, "ingest", str(report / "report.html"), "-o", str(tmp_path / "read"), "--agency-id", "yuyao-commerce"],
         ws, env)  # fmt: skip
    text = (tmp_path / "read" / "2020" / "yuyao-commerce.yaml").read_text(encoding="utf-8")
    assert "余姚市商务局" in text
