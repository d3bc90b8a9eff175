"""Other office formats through LibreOffice (.doc, .wps, .rtf, .odt, .xls, .et) and web archives (.mht): the
suite makes them itself from our generated DOCX and form and from the corpus HTML, then ingests whole tables."""

from __future__ import annotations

import shutil
import subprocess
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from xxgk.ingest import convert
from xxgk.ingest.command import read_any
from xxgk.ingest.pipeline import ingest_file
from xxgk.ingest.source import IngestError
from xxgk.params_write import dump_params

needs_lo = pytest.mark.skipif(convert.soffice() is None, reason="LibreOffice (soffice) is not installed")


def libreoffice(src: Path, to: str, outdir: Path, infilter: str | None = None) -> Path:
    """Convert with LibreOffice the way a user's office suite saves a file."""
    cmd = ["soffice", "--headless", f"-env:UserInstallation=file://{outdir}/profile", "--convert-to", to,
           "--outdir", str(outdir), str(src)]  # fmt: skip
    if infilter:
        cmd[2:2] = [f"--infilter={infilter}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    return outdir / f"{src.stem}.{to.split(':')[0]}"


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    from tests.conftest import SAMPLE
    from xxgk.params import load_params
    from xxgk.render.docx import write_docx

    d = tmp_path_factory.mktemp("docx")
    report = load_params(SAMPLE)
    return report, write_docx(report, d / "sample.docx")


@needs_lo
@pytest.mark.parametrize("to", ["doc", "odt", "rtf"])
def test_sample_as_legacy_word_odt_and_rtf_reads_every_cell(sample_docx, to, tmp_path):
    report, docx = sample_docx
    legacy = libreoffice(docx, to, tmp_path)
    got = ingest_file(legacy, agency_id="yuyao-commerce")
    assert {cid for cid in report.fmt.cell_ids() if got.report.cells[cid] != report.cells[cid]} == set()
    assert got.uncertain_cells == [] and got.doubts == []
    assert got.report.sections == report.sections
    assert got.report.signature == report.signature
    assert got.report.provenance["t3.new_received.total"].source.startswith("table ")


@needs_lo
def test_a_wps_file_is_read_through_libreoffice(sample_docx, tmp_path):
    """Kingsoft WPS Writer files (.wps) are Word-97 documents as far as LibreOffice is concerned."""
    report, docx = sample_docx
    wps = libreoffice(docx, "doc", tmp_path).rename(tmp_path / "余姚市商务局2020年报.wps")
    got = ingest_file(wps, agency_id="yuyao-commerce")
    assert all(got.report.cells[cid] == report.cells[cid] for cid in report.fmt.cell_ids())
    assert got.report.extensions == report.extensions


@needs_lo
@pytest.mark.parametrize("to", ["doc:MS Word 97", "odt"])
def test_corpus_html_as_doc_and_odt(corpus, to, tmp_path):
    truth = ingest_file(corpus / "shuyang-fgj-2023.html").report
    saved = libreoffice(corpus / "shuyang-fgj-2023.html", to, tmp_path, infilter="HTML (StarWriter)")
    got = ingest_file(saved).report
    assert (got.agency.name, got.year) == (truth.agency.name, truth.year)
    assert {cid: got.cells[cid] for cid in truth.fmt.cell_ids()} == {cid: truth.cells[cid] for cid in truth.fmt.cell_ids()}
    assert got.cells["t3.new_received.commercial"].state == "blank"  # published blank, still blank


def test_web_archive_mht(corpus, tmp_path):
    html = (corpus / "shuyang-fgj-2023.html").read_text(encoding="utf-8")
    msg = MIMEMultipart("related")
    msg["Subject"] = "沭阳县发展和改革局2023年政府信息公开工作年度报告"
    msg.attach(MIMEText(html, "html", "gb18030"))  # saved by a browser on a Chinese Windows: GB18030, base64
    path = tmp_path / "report.mht"
    path.write_bytes(msg.as_bytes())
    truth = ingest_file(corpus / "shuyang-fgj-2023.html").report
    got = ingest_file(path).report
    assert all(got.cells[cid] == truth.cells[cid] for cid in truth.fmt.cell_ids())
    assert got.sections == truth.sections


def test_web_archive_without_html_is_refused(tmp_path):
    path = tmp_path / "x.mhtml"
    path.write_bytes(b"MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n")
    with pytest.raises(IngestError, match="no HTML page"):
        ingest_file(path)


@needs_lo
@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_form_saved_as_xls_or_et_reads_back_exactly(sample, suffix, tmp_path):
    from xxgk.render.excel import write_form

    form = write_form(sample, tmp_path / "form.xlsx")
    xls = libreoffice(form, "xls:MS Excel 97", tmp_path / "out")
    legacy = xls.rename(xls.with_suffix(suffix))
    assert dump_params(read_any(str(legacy)).report) == dump_params(sample)


@needs_lo
def test_an_xls_that_is_not_a_form_is_a_clear_error_naming_the_users_file(tmp_path, capsys):
    """read_form's FormError on the converted copy comes back as one line naming the .xls, not a traceback."""
    import openpyxl

    from xxgk.cli import main

    wb = openpyxl.Workbook()
    wb.active["A1"] = "本年新收政府信息公开申请数量"
    wb.save(tmp_path / "other.xlsx")
    xls = libreoffice(tmp_path / "other.xlsx", "xls:MS Excel 97", tmp_path / "out")
    assert main(["ingest", str(xls), "-o", str(tmp_path / "params")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"xxgk ingest: {xls}: ") and "Traceback" not in err
    assert ".xlsx" not in err.replace(str(xls), "")  # the converted copy is not named
    assert not (tmp_path / "params").exists()


def test_without_libreoffice_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", str(tmp_path / "no-such-soffice"))
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(IngestError, match=r"report\.doc: reading \.doc files needs LibreOffice.*libreoffice-writer-nogui"):
        ingest_file(path)


@needs_lo
def test_a_file_libreoffice_cannot_read_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.doc"
    path.write_bytes(b"this is not a Word document at all\n" * 10)
    with pytest.raises(IngestError, match=r"garbage\.doc: "):
        ingest_file(path)


@pytest.mark.parametrize("suffix", [".doc", ".xls", ".mht"])
def test_too_big_to_convert_is_refused_unread(tmp_path, monkeypatch, capsys, suffix):
    """One size bound for converted files, named like every other bound; the CLI prints one line and exits 2."""
    from xxgk import limits
    from xxgk.cli import main

    monkeypatch.setitem(limits.MAX_INPUT_BYTES, "convert", 1000)
    monkeypatch.setenv("XXGK_SOFFICE", str(tmp_path / "no-such-soffice"))  # refused before LibreOffice is looked for
    path = tmp_path / f"big{suffix}"
    path.write_bytes(b"\0" * 2000)
    with pytest.raises(limits.LimitError) as e:
        read_any(str(path))
    assert e.value.limit_name == "MAX_INPUT_BYTES['convert']"
    assert main(["ingest", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == (f"xxgk ingest: {path}: the file to convert is 2 KB (limit 1000 bytes: MAX_INPUT_BYTES['convert']); "
                   f"{convert.TOO_BIG_HINT}\n")  # fmt: skip
    assert not (tmp_path / "out").exists()


def test_doctor_reports_libreoffice(capsys):
    from xxgk.batch.doctor import _libreoffice, _Report

    _libreoffice(_Report())
    out = capsys.readouterr().out
    assert "LibreOffice" in out and (".doc" in out)
    assert ("ok" in out) == (shutil.which("soffice") is not None or shutil.which("libreoffice") is not None)
