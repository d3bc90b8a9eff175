"""Four real reports of the shared corpus as Report objects: tables typed by hand, narrative from the files.

Tables were read by eye from the published documents. Pingtan's pages flatten each table row into one
run of digits; where a 表二 run of the 2019 report admits several splits the most plausible one is used
(marked below) — no rule compares those cells within one report.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from tests.checks.helpers import make, put, split_narrative, strip_html

BODY_MARK = "==================== 正文 ===================="


def _web_text(path: Path) -> str:
    return path.read_text(encoding="utf-8").split(BODY_MARK, 1)[1]


def pingtan_2019(corpus: Path):
    """平潭综合实验区 2019 (2019 format, county-level consolidated report)."""
    preamble, sections = split_narrative(_web_text(corpus / "pingtan-zone-2019.txt"), "2019")
    return make(
        "2019", 2019, agency_id="pingtan", name="平潭综合实验区", level="县级政府",
        published=dt.date(2020, 1, 20), preamble=preamble, sections=sections,
        t2={
            "regulations": [0, 0, 0],
            "normative_documents": [89, 89, 89],
            "licensing": [396, 0, 181],  # 「3960181」
            "other_services": [10, 0, 153],  # 「100153」, split uncertain
            "punishment": [2648, 0, 430],  # 「26480430」, split uncertain
            "coercion": [126, 0, 25],  # 「126025」, split uncertain
            "fees": [35, 0],
            "procurement": [135, "7539.443252"],  # 75394432.52元 in 万元
        },
        t3={
            "new_received": [23, 0, 0, 0, 0, 0, 23],
            "granted": [7, 0, 0, 0, 0, 0, 7],
            "partly_granted": [1, 0, 0, 0, 0, 0, 1],
            "unavailable_not_held": [7, 0, 0, 0, 0, 0, 7],
            "unavailable_unclear": [5, 0, 0, 0, 0, 0, 5],
            "rejected_repeated": [3, 0, 0, 0, 0, 0, 3],
            "total_handled": [23, 0, 0, 0, 0, 0, 23],
        },
    )  # fmt: skip


def pingtan_2022(corpus: Path):
    """平潭综合实验区 2022 (2021 format)."""
    preamble, sections = split_narrative(_web_text(corpus / "pingtan-zone-2022.txt"), "2021")
    return make(
        "2021", 2022, agency_id="pingtan", name="平潭综合实验区", level="县级政府",
        published=dt.date(2023, 2, 20), preamble=preamble, sections=sections,
        t2={
            "normative_documents": [88, 55, 698],
            "licensing": [10690],
            "punishment": [2113],
            "coercion": [0],
            "fees": ["9116.36"],
        },
        t3={
            "new_received": [71, 3, 0, 0, 0, 0, 74],
            "carried_over": [1, 0, 0, 0, 0, 0, 1],
            "granted": [21, 0, 0, 0, 0, 0, 21],
            "partly_granted": [8, 1, 0, 0, 0, 0, 9],
            "withheld_internal": [1, 0, 0, 0, 0, 0, 1],
            "withheld_process": [2, 0, 0, 0, 0, 0, 2],
            "withheld_enforcement": [1, 0, 0, 0, 0, 0, 1],
            "unavailable_not_held": [37, 0, 0, 0, 0, 0, 37],
            "other_no_correction": [2, 0, 0, 0, 0, 0, 2],
            "other_misc": [0, 2, 0, 0, 0, 0, 2],
            "total_handled": [72, 3, 0, 0, 0, 0, 75],
        },
        t4={"review": [0, 1, 1, 0, 2], "direct_suit": [1, 0, 0, 0, 1]},
    )  # fmt: skip


def shuyang_2023(corpus: Path):
    """沭阳县发展和改革局 2023 (2021 format): the legal-person columns of 表三 are published blank."""
    text = strip_html((corpus / "shuyang-fgj-2023.html").read_text(encoding="utf-8"))
    text = text[text.index("根据《中华人民共和国政府信息公开条例》") :]
    preamble, sections = split_narrative(text, "2021")
    sections["s6"] = sections["s6"].split("沭阳县发展和改革局")[0].strip()  # drop the 落款
    report = make(
        "2021", 2023, agency_id="shuyang-fgj", name="沭阳县发展和改革局", level="县级以上人民政府部门",
        published=dt.date(2024, 1, 17), preamble=preamble, sections=sections,
        t2={"normative_documents": [8, 0, 18]},
        t4={"review": [0, 0, 0, 1, 1]},
    )  # fmt: skip
    for row in [r.id for r in report.fmt.table("t3").rows]:
        v = 26 if row in ("new_received", "granted", "total_handled") else 0
        put(report, "t3", row, [v, None, None, None, None, None, v])
    return report


def huaian_2024_text(corpus: Path) -> str:
    """The text layer of the Huaian PDF with page numbers removed and wrapped lines joined."""
    import pdfplumber

    with pdfplumber.open(corpus / "huaian-city-2024.pdf") as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    text = re.sub(r"^- \d+ -$", "", text, flags=re.M)
    return text.replace("\n", "")


def huaian_2024(corpus: Path):
    """淮安市人民政府 2024 (2021 format, prefecture-level government; no publication date in the file)."""
    text = huaian_2024_text(corpus)
    text = text[text.index("本报告由") :]
    preamble, sections = split_narrative(text, "2021")
    return make(
        "2021", 2024, agency_id="huaian", name="淮安市人民政府", level="地市级政府",
        preamble=preamble, sections=sections,
        t2={
            "regulations": [1, 0, 11],
            "normative_documents": [8, 26, 66],
            "licensing": [447228],
            "punishment": [3985758],
            "coercion": [88283],
            "fees": ["96171.6"],
        },
        t3={
            "new_received": [3001, 53, 0, 0, 61, 4, 3119],
            "carried_over": [34, 0, 0, 0, 0, 0, 34],
            "granted": [1288, 21, 0, 0, 50, 3, 1362],
            "partly_granted": [447, 7, 0, 0, 0, 0, 454],
            "withheld_state_secret": [2, 0, 0, 0, 0, 0, 2],
            "withheld_prohibited": [30, 1, 0, 0, 0, 0, 31],
            "withheld_security": [5, 0, 0, 0, 0, 0, 5],
            "withheld_third_party": [6, 0, 0, 0, 0, 0, 6],
            "withheld_internal": [7, 1, 0, 0, 0, 0, 8],
            "withheld_process": [12, 0, 0, 0, 0, 0, 12],
            "withheld_enforcement": [9, 0, 0, 0, 0, 0, 9],
            "withheld_inquiry": [105, 0, 0, 0, 0, 0, 105],
            "unavailable_not_held": [746, 12, 0, 0, 10, 1, 769],
            "unavailable_needs_creation": [11, 0, 0, 0, 0, 0, 11],
            "unavailable_unclear": [1, 0, 0, 0, 0, 0, 1],
            "rejected_petition": [56, 6, 0, 0, 0, 0, 62],
            "rejected_repeated": [25, 0, 0, 0, 0, 0, 25],
            "rejected_confirmation": [1, 0, 0, 0, 0, 0, 1],
            "other_no_correction": [67, 3, 0, 0, 1, 0, 71],
            "other_fee_unpaid": [6, 0, 0, 0, 0, 0, 6],
            "other_misc": [108, 2, 0, 0, 0, 0, 110],
            "total_handled": [2932, 53, 0, 0, 61, 4, 3050],
            "carried_forward": [103, 0, 0, 0, 0, 0, 103],
        },
        t4={"review": [72, 64, 178, 37, 351], "direct_suit": [13, 4, 8, 1, 26], "suit_after_review": [12, 1, 1, 6, 20]},
    )  # fmt: skip
