"""Safe, self-contained, deterministic HTML: sanitised narrative, no scripts or network, byte-identical rebuilds."""

from __future__ import annotations

import re

import pytest

from xxgk.render.markdown import markdown_html, text_html

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium with JavaScript enabled (to prove nothing in the report runs)."""
    from playwright.sync_api import sync_playwright

    from xxgk.render.pdf import BROWSER_ARGS, find_chromium

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=find_chromium(), args=list(BROWSER_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="module")
def evil_build(builds):
    from xxgk.batch.runner import build_one

    return build_one("evil-agency", 2020, params_dir=builds["params"], out_dir=builds["base"] / "evil", formats=("html",))


def test_markdown_sanitiser_unit():
    out = markdown_html("a<script>alert(1)</script>\n\n[x](javascript:alert(1)) <a href='javascript:x' onclick='y'>z</a>")
    assert "<script" not in out and "<a " not in out
    assert "&lt;script&gt;" in out
    assert markdown_html("**粗体** [链接](https://example.org)") == (
        '<p><strong>粗体</strong> <a href="https://example.org" rel="noopener noreferrer nofollow">链接</a></p>'
    )
    assert markdown_html("  \n") == ""
    assert text_html('<b>"a"</b>\n第二行') == "&lt;b&gt;&quot;a&quot;&lt;/b&gt;<br>第二行"


def test_no_script_runs_in_browser(evil_build, browser):
    html = evil_build.paths["html"].read_text(encoding="utf-8")
    body = html.split("</head>", 1)[1]
    assert not re.search(r"<(script|iframe|style|svg|details|img|object|embed)\b", body)
    assert not re.search(r"<[a-z][^<>]*\son\w+\s*=", html)  # no event-handler attribute on any tag
    assert not re.search(r"""<[a-z][^<>]*\s(href|src)\s*=\s*["']?\s*javascript:""", html)
    assert "测试局&lt;script&gt;window.__pwned=&#x27;name&#x27;&lt;/script&gt;" in body  # shown, not run
    page = browser.new_page()
    page.goto(evil_build.paths["html"].as_uri())
    for el in page.query_selector_all("main a, main b, .preamble p, table.extension th")[:12]:
        el.hover()
        el.click(no_wait_after=True)
    page.wait_for_timeout(100)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.querySelectorAll('iframe, img, svg, details').length") == 0
    assert page.evaluate("getComputedStyle(document.body).display") == "block"
    assert "测试局<script>" in page.inner_text("h1")  # shown as text
    page.close()


@pytest.mark.parametrize("part", ["html", "analysis_html"])
def test_self_contained_no_network(builds, browser, part):
    html = builds["pingtan"].paths[part].read_text(encoding="utf-8")
    assert "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?https?:", html)
    assert "require.js" not in html and "mathjax" not in html.lower() and "mermaid" not in html.lower()
    assert html.count("<svg") >= (4 if part == "analysis_html" else 0)  # the analysis page's charts are inline
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(builds["pingtan"].paths[part].as_uri(), wait_until="networkidle")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    if part == "analysis_html":
        page.close()
        return
    align = page.evaluate("getComputedStyle(document.querySelector('.preamble p')).textIndent")
    assert align == "32px" or align.endswith("px")
    page.close()


def test_no_code_or_prompts(sample_html):
    for needle in ("xn.show", "open_report", "import ", "show_checks", "params_dir", "In&nbsp;[", "In [",
                   "jp-InputPrompt", "injected-parameters", "papermill", "/tmp/", "yuyao-commerce"):  # fmt: skip
        assert needle not in sample_html, needle
    assert sample_html.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")


def test_signature_right_aligned(builds, browser):
    page = browser.new_page()
    page.goto(builds["sample"].paths["html"].as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('.signature .sig-date')).textAlign") == "right"
    box = page.query_selector(".signature .sig-date").bounding_box()
    main = page.query_selector("main.report").bounding_box()
    page.close()
    assert box["x"] + box["width"] == pytest.approx(main["x"] + main["width"], abs=1)


def test_deterministic_rebuild(builds, tmp_path):
    from xxgk.batch.runner import build_one

    again = build_one("yuyao-commerce", 2020, params_dir=builds["params"], out_dir=tmp_path / "other", formats=("html",))
    first = builds["sample"].paths["html"].read_bytes()
    assert again.paths["html"].read_bytes() == first
    assert str(builds["base"]).encode() not in first and str(tmp_path).encode() not in first
    pingtan = builds["pingtan"].paths["html"].read_text(encoding="utf-8")
    assert "<dc:date>" not in pingtan and "Matplotlib v" not in pingtan
