"""Test reports and one-per-session builds shared by the render and build tests.

The Pingtan numbers are the published tables of 平潭综合实验区 (2019 format: report year 2019; 2021 format:
report year 2022), decoded from the flattened text in ../shared/corpus. The narrative is read from the corpus
at test time (it is not copied into the project); without the corpus a short placeholder is used.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

PINGTAN_2022_TABLES = """
table2:
  regulations: [0, 0, 0]
  normative_documents: [88, 55, 698]
  licensing: [10690]
  punishment: [2113]
  coercion: [0]
  fees: [9116.36]
table3:
  new_received: [71, 3, 0, 0, 0, 0, 74]
  carried_over: [1, 0, 0, 0, 0, 0, 1]
  granted: [21, 0, 0, 0, 0, 0, 21]
  partly_granted: [8, 1, 0, 0, 0, 0, 9]
  withheld_state_secret: [0, 0, 0, 0, 0, 0, 0]
  withheld_prohibited: [0, 0, 0, 0, 0, 0, 0]
  withheld_security: [0, 0, 0, 0, 0, 0, 0]
  withheld_third_party: [0, 0, 0, 0, 0, 0, 0]
  withheld_internal: [1, 0, 0, 0, 0, 0, 1]
  withheld_process: [2, 0, 0, 0, 0, 0, 2]
  withheld_enforcement: [1, 0, 0, 0, 0, 0, 1]
  withheld_inquiry: [0, 0, 0, 0, 0, 0, 0]
  unavailable_not_held: [37, 0, 0, 0, 0, 0, 37]
  unavailable_needs_creation: [0, 0, 0, 0, 0, 0, 0]
  unavailable_unclear: [0, 0, 0, 0, 0, 0, 0]
  rejected_petition: [0, 0, 0, 0, 0, 0, 0]
  rejected_repeated: [0, 0, 0, 0, 0, 0, 0]
  rejected_publication: [0, 0, 0, 0, 0, 0, 0]
  rejected_excessive: [0, 0, 0, 0, 0, 0, 0]
  rejected_confirmation: [0, 0, 0, 0, 0, 0, 0]
  other_no_correction: [2, 0, 0, 0, 0, 0, 2]
  other_fee_unpaid: [0, 0, 0, 0, 0, 0, 0]
  other_misc: [0, 2, 0, 0, 0, 0, 2]
  total_handled: [72, 3, 0, 0, 0, 0, 75]
  carried_forward: [0, 0, 0, 0, 0, 0, 0]
table4:
  review: [0, 1, 1, 0, 2]
  direct_suit: [1, 0, 0, 0, 1]
  suit_after_review: [0, 0, 0, 0, 0]
"""

# 2019: cells whose flattened digits allow several splits are left blank (null), not guessed
PINGTAN_2019_TABLES = """
table2:
  regulations: [0, 0, 0]
  normative_documents: [89, 89, 89]
  licensing: [null, null, null]
  other_services: [null, null, null]
  punishment: [null, null, null]
  coercion: [null, null, null]
  fees: [null, null]
  procurement: [135, "75394432.52元"]
table3:
  new_received: [23, 0, 0, 0, 0, 0, 23]
  carried_over: [0, 0, 0, 0, 0, 0, 0]
  granted: [7, 0, 0, 0, 0, 0, 7]
  partly_granted: [1, 0, 0, 0, 0, 0, 1]
  withheld_state_secret: [0, 0, 0, 0, 0, 0, 0]
  withheld_prohibited: [0, 0, 0, 0, 0, 0, 0]
  withheld_security: [0, 0, 0, 0, 0, 0, 0]
  withheld_third_party: [0, 0, 0, 0, 0, 0, 0]
  withheld_internal: [0, 0, 0, 0, 0, 0, 0]
  withheld_process: [0, 0, 0, 0, 0, 0, 0]
  withheld_enforcement: [0, 0, 0, 0, 0, 0, 0]
  withheld_inquiry: [0, 0, 0, 0, 0, 0, 0]
  unavailable_not_held: [7, 0, 0, 0, 0, 0, 7]
  unavailable_needs_creation: [0, 0, 0, 0, 0, 0, 0]
  unavailable_unclear: [5, 0, 0, 0, 0, 0, 5]
  rejected_petition: [0, 0, 0, 0, 0, 0, 0]
  rejected_repeated: [3, 0, 0, 0, 0, 0, 3]
  rejected_publication: [0, 0, 0, 0, 0, 0, 0]
  rejected_excessive: [0, 0, 0, 0, 0, 0, 0]
  rejected_confirmation: [0, 0, 0, 0, 0, 0, 0]
  other: [0, 0, 0, 0, 0, 0, 0]
  total_handled: [23, 0, 0, 0, 0, 0, 23]
  carried_forward: [0, 0, 0, 0, 0, 0, 0]
table4:
  review: [0, 0, 0, 0, 0]
  direct_suit: [0, 0, 0, 0, 0]
  suit_after_review: [0, 0, 0, 0, 0]
"""

HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")  # fmt: skip


def _block(text: str) -> str:
    """A YAML literal block for a narrative (indented 4 spaces under its key)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return "|-\n" + "\n\n".join("    " + ln for ln in lines) if lines else '""'


def corpus_narrative(name: str) -> dict[str, str]:
    """Preamble and sections 一, 五, 六 cut from a flattened corpus page ({} without the corpus)."""
    path = SHARED / "corpus" / name
    if not path.is_file():
        return {}
    body = path.read_text(encoding="utf-8").split("==================== 正文 ====================", 1)[-1]
    cuts = [body.find(h) for h in HEADINGS]
    if min(cuts) < 0:
        return {}
    paras = lambda s: re.sub(r"\s+（([一二三四五六七八九十]+)）", r"\n（\1）", s.strip())  # noqa: E731
    return {
        "preamble": paras(body[: cuts[0]]),
        "s1": paras(body[cuts[0] + len(HEADINGS[0]) : cuts[1]]),
        "s5": paras(body[cuts[4] + len(HEADINGS[4]) : cuts[5]]),
        "s6": paras(body[cuts[5] + len(HEADINGS[5]) :]),
    }


def pingtan_yaml(year: int) -> str:
    """The params file of 平潭综合实验区 for 2019 (format 2019) or 2022 (format 2021)."""
    narrative = corpus_narrative(f"pingtan-zone-{year}.txt")
    tables = PINGTAN_2022_TABLES if year == 2022 else PINGTAN_2019_TABLES
    default = f"{year}年，平潭综合实验区政府信息公开工作情况（语料库不在本机时的占位文字）。"
    published = "2023-02-20" if year == 2022 else "2020-01-20"
    return f"""agency:
  id: pingtan-zone
  name: 平潭综合实验区
  level: 县级政府
year: {year}
published: {published}
preamble: {_block(narrative.get("preamble", default))}
sections:
  s1: {_block(narrative.get("s1", default))}
  s5: {_block(narrative.get("s5", default))}
  s6: {_block(narrative.get("s6", f"{year}年，无收取信息处理费情况。"))}
{tables}"""


MALICIOUS_YAML = """agency:
  id: evil-agency
  name: "测试局<script>window.__pwned='name'</script>"
  level: 县级以上人民政府部门
year: 2020
published: 2021-01-20
signature:
  agency: "测试局<img src=x onerror=\\"window.__pwned='sig'\\">"
  date: 2021-01-20
preamble: |-
  前言<script>window.__pwned='preamble'</script>

  <img src="x" onerror="window.__pwned='img'">图片

  [点击](javascript:window.__pwned='link') 与 <a href="javascript:window.__pwned='a'" onclick="window.__pwned='click'">链接</a>
sections:
  s1:
    title: "总体情况<svg onload=\\"window.__pwned='title'\\"></svg>"
    text: |-
      <iframe src="javascript:window.__pwned='iframe'"></iframe><style>body{display:none}</style>正文
  s6: "<details open ontoggle=\\"window.__pwned='toggle'\\">其他</details>"
extensions:
  - id: evil
    title: "扩展表<script>window.__pwned='ext'</script>"
    after: s2
    columns: [统计指标, 单位, 统计数]
    rows:
      - {label: "<b onmouseover=\\"window.__pwned='label'\\">指标</b>", indent: 1, values: ["<script>window.__pwned='value'</script>", 1]}
"""


def write_params(root: Path) -> Path:
    """A params directory with the seed sample, Pingtan 2019 and 2022, and the malicious report."""
    (root / "2020").mkdir(parents=True, exist_ok=True)
    (root / "2019").mkdir(exist_ok=True)
    (root / "2022").mkdir(exist_ok=True)
    shutil.copy(ROOT / "params" / "2020" / "yuyao-commerce.yaml", root / "2020" / "yuyao-commerce.yaml")
    (root / "2019" / "pingtan-zone.yaml").write_text(pingtan_yaml(2019), encoding="utf-8")
    (root / "2022" / "pingtan-zone.yaml").write_text(pingtan_yaml(2022), encoding="utf-8")
    (root / "2020" / "evil-agency.yaml").write_text(MALICIOUS_YAML, encoding="utf-8")
    return root


_BUILDS: dict = {}


def session_builds(tmp_path_factory):
    """Build the sample (2019 format) and Pingtan 2022 (2021 format) once per test session: HTML and PDF."""
    if not _BUILDS:
        from xxgk.batch.runner import build_one
        from xxgk.render.pdf import ChromiumPrinter

        base = tmp_path_factory.mktemp("xxgk-builds")
        params = write_params(base / "params")
        with ChromiumPrinter() as printer:
            for key, agency, year in (("sample", "yuyao-commerce", 2020), ("pingtan", "pingtan-zone", 2022)):
                _BUILDS[key] = build_one(agency, year, params_dir=params, out_dir=base / "build", printer=printer)
        _BUILDS["params"] = params
        _BUILDS["base"] = base
    return _BUILDS
