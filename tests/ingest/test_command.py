"""``xxgk ingest``: params files, refusal to overwrite, JSON, clear errors with exit status 2."""

from __future__ import annotations

import json

import pytest

from tests.ingest.util import pdf_bytes
from xxgk.cli import main
from xxgk.params import load_params


@pytest.fixture
def seed_file(tmp_path, seed_text):
    p = tmp_path / "yuyao.txt"
    p.write_text(seed_text, encoding="utf-8")
    return p


def test_writes_params_and_refuses_to_overwrite(tmp_path, seed_file, sample, capsys):
    out = tmp_path / "params"
    assert main(["ingest", str(seed_file), "-o", str(out), "--agency-id", "yuyao-commerce"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert "yuyao-commerce.yaml: 余姚市商务局 2020, format 2019; 198/198 cells read, 0 uncertain; checker:" in line
    written = load_params(out / "2020" / "yuyao-commerce.yaml")
    assert written.cells == sample.cells
    assert written.extensions == sample.extensions
    assert main(["ingest", str(seed_file), "-o", str(out), "--agency-id", "yuyao-commerce"]) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert main(["ingest", str(seed_file), "-o", str(out), "--agency-id", "yuyao-commerce", "--force"]) == 0


def test_json_output(seed_file, capsys):
    assert main(["ingest", str(seed_file), "--json"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["schema"] == "xxgk.report/1"
    assert doc["agency"]["id"] == "yuyaoshi-shangwuju"
    assert doc["cells"]["t2.licensing.decisions"] == 104
    assert doc["provenance"]["t2.licensing.decisions"]["source"] == "line 39"
    assert "198/198 cells read" in captured.err


def test_uncertain_cells_are_listed(corpus, capsys):
    assert main(["ingest", str(corpus / "pingtan-zone-2022.txt"), "--json"]) == 0
    err = capsys.readouterr().err
    assert "200/200 cells read, 3 uncertain" in err
    assert "uncertain t2.normative_documents [issued, repealed, in_force]" in err


def _blank_pdf() -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]  # fmt: skip
    return pdf_bytes(objs)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", _blank_pdf(), "no text layer"),
        ("broken.pdf", b"%PDF-1.4\nnot really", "not a readable PDF"),
        ("report.xyz", b"\x00\x01\x02binary", "unsupported file type"),
        ("hello.txt", "你好，世界".encode(), "not an annual report"),
        ("empty.html", b"", "empty HTML page"),
        ("broken.docx", b"PK\x03\x04garbage", "cannot read the file as .docx: not a zip archive"),
        ("old.txt", "平潭综合实验区2018年政府信息公开工作年度报告\n一、概述\n主动公开文件数 100".encode(), "before the national formats"),
        ("old-table.txt", "政府信息公开情况统计表\n指标名称 计量单位\n同意公开答复数 3\n主动公开政府信息数 5".encode(),
         "pre-2019 政府信息公开情况统计表"),
    ],
)  # fmt: skip
def test_clear_errors(tmp_path, capsys, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    assert main(["ingest", str(p), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"xxgk ingest: {p}: ")
    assert message in err
    assert "Traceback" not in err


def test_missing_file_and_partial_failure(tmp_path, seed_file, capsys):
    assert main(["ingest", str(tmp_path / "nope.pdf"), str(seed_file), "-o", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert "nope.pdf: no such file" in captured.err
    assert "198/198 cells read" in captured.out  # the other file was still ingested
