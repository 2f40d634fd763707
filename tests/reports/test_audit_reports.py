"""The audit workbook (xlsx) and the printable audit report (HTML), over results built by hand."""

from __future__ import annotations

import ast
import html
import io
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from toolkit.audit.model import (
    Assignment,
    Audit,
    AuditItem,
    Deduction,
    Review,
    Reviewer,
    Sample,
    SizeRule,
    StratumCount,
)
from toolkit.audit.results import (
    Agreement,
    AuditResults,
    Calibration,
    Disagreement,
    ItemResult,
    RectificationRow,
    audit_results,
)
from toolkit.audit.review import ReviewScore
from toolkit.i18n import catalogue, t
from toolkit.packs import Pack
from toolkit.packs.rubrics import AuditDimension, AuditRubric, AuditSubitem, GradeBand, RuleRef
from toolkit.reports import alpha_words, kappa_words
from toolkit.reports.audit_html import audit_report_html
from toolkit.reports.audit_workbook import audit_workbook_bytes, write_audit_workbook

REPORTS_DIR = Path(__file__).resolve().parents[2] / "toolkit" / "reports"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
FORMULA_NOTE = "=1+2"
SCRIPT_NOTE = "<script>alert(1)</script>"
RULE = RuleRef("规则", "来源")

RUBRIC = AuditRubric(
    dimensions=(
        AuditDimension(
            "facts",
            "事实认定",
            "Fact finding",
            (
                AuditSubitem("f1", "反映问题逐项核查", "Every point checked", 20, RULE),
                AuditSubitem("f2", "结论有据", "Conclusion supported", 20, RULE),
            ),
            ("facts",),
        ),
        AuditDimension(
            "procedure",
            "程序规范",
            "Procedure",
            (AuditSubitem("p1", "审批手续完备", "Approvals complete", 30, RULE),),
            ("procedure",),
        ),
        AuditDimension(
            "feedback",
            "反馈答复",
            "Feedback",
            (AuditSubitem("b1", "按时反馈", "Feedback on time", 30, RULE),),
            ("feedback",),
        ),
    ),
    grades=(
        GradeBand("A", 0.9, "优秀", "Excellent"),
        GradeBand("B", 0.8, "良好", "Good"),
        GradeBand("C", 0.6, "合格", "Pass"),
        GradeBand("D", 0.0, "不合格", "Fail"),
    ),
    disagreement_points=10,
)

ZJ, HRSS = "u_zj", "u_hrss"
ZJ_NAME, HRSS_NAME = "清河区住房和城乡建设局", "清河区人力资源和社会保障局"
REVIEWERS = ("张三", "李四", "王五")
PAIRS = {
    "I-001": ("张三", "李四"),
    "I-002": ("李四", "王五"),
    "I-003": ("张三", "王五"),
    "I-004": ("张三", "李四"),
}
UNITS = {"I-001": ZJ, "I-002": ZJ, "I-003": HRSS, "I-004": HRSS}
REVIEWS = (
    Review("I-001", "张三", (Deduction("f1", 5, "未逐项核查", "item_unanswered"),), done=True),
    Review("I-001", "李四", (Deduction("f1", 4, FORMULA_NOTE),), done=True),
    Review("I-002", "李四", (Deduction("p1", 10, SCRIPT_NOTE, "leader_approval_missing"),), done=True),
    Review("I-002", "王五", (Deduction("p1", 30, "无审批"),), done=True),
    Review("I-003", "张三", (), done=True),
    Review("I-003", "王五", (), done=True),
    Review("I-004", "张三", (Deduction("b1", 10, "反馈超期"),), done=True),
    Review("I-004", "李四", (Deduction("b1", 5, "草稿"),), done=False),
)


def _score(review: Review) -> ReviewScore:
    deducted: dict[str, float] = {}
    for d in review.deductions:
        deducted[d.subitem] = deducted.get(d.subitem, 0.0) + d.points
    total = RUBRIC.total - sum(deducted.values())
    return ReviewScore(
        item_id=review.item_id,
        reviewer=review.reviewer,
        done=review.done,
        total=total,
        deducted=deducted,
        by_dimension={
            dim.code: dim.points - sum(deducted.get(s.code, 0.0) for s in dim.subitems)
            for dim in RUBRIC.dimensions
        },
        passed={s.code: s.code not in deducted for s in RUBRIC.subitems},
        grade=RUBRIC.grade(total / RUBRIC.total).code,
    )


def _item_result(item: AuditItem) -> ItemResult:
    scores = {r.reviewer: _score(r) for r in REVIEWS if r.item_id == item.id and r.done}
    mean = sum(s.total for s in scores.values()) / len(scores) if scores else None
    return ItemResult(
        item=item,
        reviewers=PAIRS[item.id],
        scores=scores,
        mean=mean,
        grade=RUBRIC.grade(mean / RUBRIC.total).code if mean is not None else None,
        complete=len(scores) == len(PAIRS[item.id]),
    )


def _results() -> AuditResults:
    items = tuple(
        AuditItem(
            id=item_id,
            unit=unit,
            unit_name=ZJ_NAME if unit == ZJ else HRSS_NAME,
            category="accusation",
            status="closed",
        )
        for item_id, unit in UNITS.items()
    )
    audit = Audit(
        id="AUD-1",
        name="2024 年第一季度信访举报质量评查",
        pack="default@1.0.0",
        source="ledger.xlsx",
        items=items,
        reviewers=(Reviewer("张三", "u_edu"), Reviewer("李四", "u_ca"), Reviewer("王五", "u_nr")),
        sample=Sample(
            seed=7,
            by=("unit",),
            rule=SizeRule(
                "rate", population=40, size=4, min_per_stratum=2, rate=0.1, formula="n = 40 × 0.1 = 4"
            ),
            item_ids=tuple(UNITS),
            strata=(StratumCount((ZJ,), 25, 2), StratumCount((HRSS,), 15, 2)),
        ),
        assignment=Assignment(seed=7, k=2, pairs=PAIRS),
    )
    return AuditResults(
        audit=audit,
        rubric=RUBRIC,
        items=tuple(_item_result(item) for item in items),
        agreement=Agreement(
            items=3, kappa=0.42, kappa_by_subitem={"f1": 1.0, "f2": None, "p1": 0.3, "b1": -0.1}, alpha=0.71
        ),
        disagreements=(
            Disagreement(
                item_id="I-002",
                unit_name=ZJ_NAME,
                totals={"李四": 90.0, "王五": 70.0},
                grades={"李四": "A", "王五": "C"},
                spread=20.0,
                split_subitems=(),
                reasons=("spread", "grade"),
            ),
        ),
        calibration=(
            Calibration("张三", items=2, planted=3, found=2, false_deductions=1),
            Calibration("李四", items=1, planted=0, found=0, false_deductions=0),
        ),
        rectification=(
            RectificationRow(
                ZJ, ZJ_NAME, "facts", "f1", "item_unanswered", 1, ("I-001",), (FORMULA_NOTE, "未逐项核查")
            ),
            RectificationRow(
                ZJ, ZJ_NAME, "procedure", "p1", "leader_approval_missing", 1, ("I-002",), (SCRIPT_NOTE,)
            ),
            RectificationRow(HRSS, HRSS_NAME, "feedback", "b1", "", 1, ("I-004",), ("反馈超期",)),
        ),
        progress={"张三": (3, 3), "李四": (2, 3), "王五": (2, 2)},
    )


@pytest.fixture(scope="module")
def results() -> AuditResults:
    return _results()


def _book(results: AuditResults, pack: Pack, lang: str = "zh") -> openpyxl.Workbook:
    data = audit_workbook_bytes(results, pack, REVIEWS, lang=lang)
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws: object) -> list[list[object]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]  # type: ignore[attr-defined]


# -- workbook ----------------------------------------------------------------------------------------

SHEETS = {
    "zh": ["概况", "样本", "分配", "工作量", "评分", "扣分明细", "一致性", "会商清单", "校准", "整改清单"],
    "en": [
        "Summary",
        "Sample",
        "Assignment",
        "Workload",
        "Scores",
        "Deductions",
        "Agreement",
        "Disagreements",
        "Calibration",
        "Rectification",
    ],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_has_the_sheets_in_order(results: AuditResults, pack: Pack, lang: str) -> None:
    assert _book(results, pack, lang).sheetnames == SHEETS[lang]


def test_every_sheet_has_a_bold_frozen_header_row(results: AuditResults, pack: Pack) -> None:
    book = _book(results, pack)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        header = next(ws.iter_rows(min_row=1, max_row=1))
        assert all(cell.font.bold and cell.value for cell in header), ws.title
        assert ws.column_dimensions["A"].width >= 6


def test_header_rows(results: AuditResults, pack: Pack) -> None:
    zh = _book(results, pack)
    assert _rows(zh["评分"])[0] == [
        "案件编号",
        "被评查单位",
        "问题类别",
        "评查人员1",
        "得分1",
        "评查人员2",
        "得分2",
        "平均分",
        "等次",
        "评查完成",
    ]
    assert _rows(zh["整改清单"])[0] == [
        "被评查单位",
        "评查维度",
        "评查子项",
        "问题类型（缺陷）",
        "件数",
        "涉及案件编号",
        "评查意见",
    ]
    assert _rows(zh["校准"])[0] == ["评查人员", "评查件数", "埋设问题数", "查出数", "查出率", "误扣次数"]
    en = _book(results, pack, "en")
    assert _rows(en["Scores"])[0][:3] == ["Item", "Unit", "Category"]
    assert _rows(en["Deductions"])[0] == [
        "Item",
        "Reviewer",
        "Review status",
        "Dimension",
        "Sub-item",
        "Points deducted",
        "Defect type",
        "Note",
    ]


def test_summary_gives_the_numbers(results: AuditResults, pack: Pack) -> None:
    summary = dict((row[0], row[1]) for row in _rows(_book(results, pack)["概况"])[1:])
    assert summary["评查编号"] == "AUD-1"
    assert summary["总体件数 N"] == 40
    assert summary["样本件数 n"] == 4
    assert summary["样本量确定方法"] == "按比例抽取"
    assert summary["计算过程"] == "n = 40 × 0.1 = 4"
    assert summary["每件评查人数 k"] == 2
    assert summary["评查人员"] == "张三、李四、王五"
    assert summary["评查完成的案件"] == "3 / 4 件"
    assert summary["Fleiss κ（子项判断）"] == pytest.approx(0.42)
    assert summary["κ 的解释"] == "中等"
    assert summary["α 的解释"] == t("report.audit.alpha.tentative", "zh")
    assert summary["评为“优秀”的案件"] == 3  # I-001, I-003 and I-004 (one review so far)
    counts = results.grade_counts()
    assert summary["评为“良好”的案件"] == counts.get("B", 0)


def test_sample_and_assignment_sheets(results: AuditResults, pack: Pack) -> None:
    book = _book(results, pack)
    assert _rows(book["样本"]) == [
        ["被评查单位", "总体件数", "抽取件数"],
        [ZJ_NAME, 25, 2],
        [HRSS_NAME, 15, 2],
    ]
    assignment = _rows(book["分配"])
    assert assignment[1] == ["I-001", ZJ_NAME, "张三、李四"]
    assert len(assignment) == 1 + len(PAIRS)
    workload = _rows(book["工作量"])
    assert workload[1] == ["张三", "清河区教育体育局", 3, 3]
    assert workload[2][2:] == [3, 2]


def test_scores_sheet_equals_the_inputs(results: AuditResults, pack: Pack) -> None:
    rows = _rows(_book(results, pack)["评分"])[1:]
    assert [row[0] for row in rows] == [r.item.id for r in results.items]
    for row, r in zip(rows, results.items, strict=True):
        assert row[1] == r.item.unit_name
        assert row[2] == "检举控告"
        for n, name in enumerate(r.reviewers):
            assert row[3 + 2 * n] == name
            score = r.scores.get(name)
            assert row[4 + 2 * n] == (score.total if score else None)
        assert row[7] == r.mean
        assert row[9] == ("是" if r.complete else "否")
    by_id = {row[0]: row for row in rows}
    assert by_id["I-001"][4:7:2] == [95, 96]
    assert by_id["I-002"][7] == 80
    assert by_id["I-002"][8] == "良好"
    assert by_id["I-004"][6] is None and by_id["I-004"][9] == "否"


def test_rectification_sheet_equals_the_inputs(results: AuditResults, pack: Pack) -> None:
    rows = _rows(_book(results, pack)["整改清单"])[1:]
    assert rows == [
        [
            ZJ_NAME,
            "事实认定",
            "反映问题逐项核查",
            "反映问题未逐项核查",
            1,
            "I-001",
            f"{FORMULA_NOTE}\n未逐项核查",
        ],
        [ZJ_NAME, "程序规范", "审批手续完备", "缺少领导审批", 1, "I-002", SCRIPT_NOTE],
        [HRSS_NAME, "反馈答复", "按时反馈", None, 1, "I-004", "反馈超期"],
    ]


def test_deductions_agreement_disagreements_and_calibration(results: AuditResults, pack: Pack) -> None:
    book = _book(results, pack, "en")
    deductions = _rows(book["Deductions"])[1:]
    assert len(deductions) == sum(len(r.deductions) for r in REVIEWS)
    assert deductions[0] == [
        "I-001",
        "张三",
        "Done",
        "Fact finding",
        "Every point checked",
        5,
        "反映问题未逐项核查",
        "未逐项核查",
    ]
    assert deductions[-1][2] == "In progress"
    agreement = _rows(book["Agreement"])
    assert agreement[1][2:] == [pytest.approx(0.42), "Moderate"]
    assert agreement[2][2] == pytest.approx(0.71)
    assert agreement[4] == ["Every point checked", "Fact finding", 1, "Almost perfect"]
    assert agreement[5][2:] == [None, "Not defined (too few items, or no variation)"]
    assert agreement[7][2:] == [pytest.approx(-0.1), "Poor (below chance)"]
    disagreements = _rows(book["Disagreements"])
    assert disagreements[1] == [
        "I-002",
        ZJ_NAME,
        "李四 90, 王五 70",
        "李四 Excellent, 王五 Pass",
        20,
        None,
        "Totals more than 10 points apart, Different grades",
    ]
    calibration = _rows(book["Calibration"])
    assert calibration[1] == ["张三", 2, 3, 2, pytest.approx(2 / 3), 1]
    assert calibration[2] == ["李四", 1, 0, 0, None, 0]
    assert book["Calibration"]["E2"].number_format == "0.0%"


def test_text_that_looks_like_a_formula_is_stored_as_text(results: AuditResults, pack: Pack) -> None:
    book = _book(results, pack)
    note = next(c for row in book["扣分明细"].iter_rows() for c in row if c.value == FORMULA_NOTE)
    assert note.data_type == "s"
    assert note.quotePrefix  # Excel shows it as typed and keeps it text when edited
    rect = book["整改清单"]["G2"]
    assert rect.value.startswith(FORMULA_NOTE) and rect.data_type == "s" and rect.quotePrefix
    for ws in book.worksheets:
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row), ws.title


def test_control_characters_are_dropped_not_fatal(results: AuditResults, pack: Pack) -> None:
    reviews = (Review("I-001", "张三", (Deduction("f1", 1, "a\x01b\x0bc"),), done=True),)
    book = openpyxl.load_workbook(io.BytesIO(audit_workbook_bytes(results, pack, reviews)))
    assert _rows(book["扣分明细"])[1][-1] == "abc"


def test_write_audit_workbook_writes_the_same_file(results: AuditResults, pack: Pack, tmp_path: Path) -> None:
    target = tmp_path / "out" / "audit.xlsx"
    write_audit_workbook(results, pack, target, reviews=REVIEWS, lang="en")
    assert openpyxl.load_workbook(target).sheetnames == SHEETS["en"]
    assert [p.name for p in target.parent.iterdir()] == ["audit.xlsx"]


def test_a_failed_write_leaves_nothing(results: AuditResults, pack: Pack, tmp_path: Path) -> None:
    blocker = tmp_path / "audit.xlsx"
    blocker.mkdir()
    (blocker / "keep").write_text("x")
    with pytest.raises(OSError):
        write_audit_workbook(results, pack, blocker)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.xlsx"]
    assert blocker.is_dir() and (blocker / "keep").read_text() == "x"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_writing_into_a_read_only_folder_raises_and_leaves_nothing(
    results: AuditResults, pack: Pack, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(OSError):
            write_audit_workbook(results, pack, folder / "audit.xlsx")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


# -- HTML --------------------------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class _Checker(HTMLParser):
    """Checks that every element is closed in order, and collects the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(document: str) -> _Checker:
    checker = _Checker()
    checker.feed(document)
    checker.close()
    return checker


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_a_well_formed_document(results: AuditResults, pack: Pack, lang: str) -> None:
    document = audit_report_html(results, pack, lang)
    checker = _parse(document)
    assert checker.errors == []
    assert checker.stack == []
    assert checker.doctype.lower() == "doctype html"
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in document
    assert '<meta charset="utf-8">' in document
    assert "@page { size: A4; margin: 15mm; }" in document
    assert "@media print" in document
    assert '"Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC"' in document


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_refers_to_nothing_outside(results: AuditResults, pack: Pack, lang: str) -> None:
    document = audit_report_html(results, pack, lang).lower()
    for needle in ("http", "src=", "<link", "<script", "<img", "url(", "@import"):
        assert needle not in document


def test_html_escapes_data(results: AuditResults, pack: Pack) -> None:
    document = audit_report_html(results, pack)
    assert SCRIPT_NOTE not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert SCRIPT_NOTE in "".join(_parse(document).text)


def test_html_has_the_sections_and_charts(results: AuditResults, pack: Pack) -> None:
    document = audit_report_html(results, pack)
    for key in (
        "report.audit.heading.summary",
        "report.audit.heading.grades",
        "report.audit.heading.units",
        "report.audit.heading.dimensions",
        "report.audit.heading.agreement",
        "report.audit.heading.disagreements",
        "report.audit.heading.calibration",
    ):
        assert f"<h2>{t(key, 'zh')}</h2>" in document
    assert document.count("<svg") == 3
    assert "各等次案件数" in document and "平均得分（满分 100）" in document
    assert "中等" in document and "67%" in document  # kappa words, recall of 2 of 3


def _unit_sections(document: str) -> dict[str, str]:
    found = re.findall(r'<section class="unit" data-unit="([^"]+)">(.*?)</section>', document, re.S)
    return dict(found)


def test_html_has_one_rectification_section_per_unit(results: AuditResults, pack: Pack) -> None:
    document = audit_report_html(results, pack)
    sections = _unit_sections(document)
    assert list(sections) == [ZJ, HRSS]
    zj, hrss = sections[ZJ], sections[HRSS]
    assert f"整改清单：{ZJ_NAME}" in zj and f"整改清单：{HRSS_NAME}" in hrss
    assert "事实认定（1 处）" in zj and "程序规范（1 处）" in zj
    assert zj.index("事实认定") < zj.index("程序规范")
    assert "I-001" in zj and "I-002" in zj and "I-004" not in zj
    assert "I-004" in hrss and "反馈超期" in hrss
    assert "抽查案件 2 件" in zj
    assert ".unit { break-before: page; page-break-before: always; }" in document


def test_a_unit_without_problems_says_so(results: AuditResults, pack: Pack) -> None:
    from dataclasses import replace

    clean = replace(results, rectification=results.rectification[:2])
    sections = _unit_sections(audit_report_html(clean, pack, "en"))
    assert html.escape(t("report.audit.none.rectification", "en")) in sections[HRSS]


def test_html_in_english_uses_no_chinese_labels(results: AuditResults, pack: Pack) -> None:
    document = audit_report_html(results, pack, "en")
    assert "Quality audit report" in document
    assert "Rectification list: " + ZJ_NAME in document
    assert "Fact finding (1 findings)" in document
    labels = [entry["zh"] for key, entry in catalogue().items() if key.startswith("report.audit.")]
    for label in labels:
        if "{" not in label:
            assert label not in document, label
    # what Chinese is left is data: names, notes, the pack's defect names and the audit's name (charts,
    # which may clip a long name, are left out)
    data = {ZJ_NAME, HRSS_NAME, *REVIEWERS, results.audit.name, "反馈超期", "未逐项核查", "缺少领导审批"}
    data |= {"反映问题未逐项核查"}
    text = "".join(_parse(re.sub(r"<svg.*?</svg>", "", document, flags=re.S)).text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    assert CJK.findall(text) == []


def test_empty_results_still_make_a_report(results: AuditResults, pack: Pack) -> None:
    from dataclasses import replace

    empty = replace(
        results,
        items=(),
        agreement=Agreement(0, None, {}, None),
        disagreements=(),
        calibration=(),
        rectification=(),
    )
    document = audit_report_html(empty, pack)
    assert _parse(document).errors == []
    assert t("chart.no_data", "zh") in document
    assert t("report.audit.none.disagreements", "zh") in document
    book = openpyxl.load_workbook(io.BytesIO(audit_workbook_bytes(empty, pack)))
    assert len(_rows(book["评分"])) == 1


# -- veto sub-items ----------------------------------------------------------------------------------

#: b1 as the veto; 王五 now deducts 1 point on it in I-003 (张三 kept 100): a one-point veto
VETO_REVIEWS = (*REVIEWS, Review("I-003", "王五", (Deduction("b1", 1, "反馈晚一天"),), done=True))


@pytest.fixture(scope="module")
def vetoed() -> AuditResults:
    return audit_results(_results().audit, VETO_REVIEWS, replace(RUBRIC, veto=("b1",)))


def test_vetoed_results(vetoed: AuditResults) -> None:
    rows = {r.item.id: r for r in vetoed.items}
    assert (rows["I-003"].mean, rows["I-003"].grade, rows["I-003"].vetoed_by) == (99.5, "D", ("b1",))
    assert (rows["I-004"].mean, rows["I-004"].grade, rows["I-004"].vetoed_by) == (90, "D", ("b1",))
    assert rows["I-001"].grade == "A" and rows["I-001"].vetoed_by == ()


def test_the_workbook_says_which_veto_decided_a_grade(vetoed: AuditResults, pack: Pack) -> None:
    book = openpyxl.load_workbook(io.BytesIO(audit_workbook_bytes(vetoed, pack, VETO_REVIEWS)))
    scores = {row[0]: row for row in _rows(book["评分"])[1:]}
    assert scores["I-003"][7] == 99.5 and scores["I-003"][8] == "不合格（否决项：按时反馈）"
    assert scores["I-004"][8] == "不合格（否决项：按时反馈）"
    assert scores["I-001"][8] == "优秀"
    disagreements = {row[0]: row for row in _rows(book["会商清单"])[1:]}
    assert disagreements["I-003"][3] == "张三 优秀、王五 不合格（否决项：按时反馈）"
    en = openpyxl.load_workbook(io.BytesIO(audit_workbook_bytes(vetoed, pack, VETO_REVIEWS, lang="en")))
    assert {row[0]: row for row in _rows(en["Scores"])[1:]}["I-003"][8] == "Fail (veto: Feedback on time)"


def test_the_html_report_lists_the_vetoed_items(vetoed: AuditResults, pack: Pack) -> None:
    document = audit_report_html(vetoed, pack)
    assert _parse(document).errors == []
    section = re.search(r"<section><h2>一票否决的案件</h2>(.*?)</section>", document, re.S)
    assert section is not None
    rows = re.findall(r"<tr>(.*?)</tr>", section.group(1), re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows[1:]]
    assert cells == [
        ["I-003", HRSS_NAME, "99.5", "不合格（否决项：按时反馈）", "按时反馈", "王五"],
        ["I-004", HRSS_NAME, "90", "不合格（否决项：按时反馈）", "按时反馈", "张三"],
    ]
    assert "否决项：按时反馈。评查人员在否决项上扣分的，该份评查评为“不合格”，不论总分" in section.group(1)
    assert "张三 优秀、王五 不合格（否决项：按时反馈）" in document  # the consultation list
    english = audit_report_html(vetoed, pack, "en")
    assert "<h2>Vetoed items</h2>" in english and "Fail (veto: Feedback on time)" in english


def test_without_a_veto_the_reports_say_nothing_of_one(results: AuditResults, pack: Pack) -> None:
    document = audit_report_html(results, pack)
    assert t("report.audit.heading.vetoes", "zh") not in document and "否决" not in document
    clean = audit_results(results.audit, REVIEWS, replace(RUBRIC, veto=("f2",)))
    quiet = audit_report_html(clean, pack)
    assert t("report.audit.none.vetoes", "zh") in quiet and "不合格（否决项" not in quiet


# -- words and source ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (None, "report.audit.undefined"),
        (-0.05, "report.audit.kappa.poor"),
        (0.0, "report.audit.kappa.poor"),
        (0.2, "report.audit.kappa.slight"),
        (0.4, "report.audit.kappa.fair"),
        (0.41, "report.audit.kappa.moderate"),
        (0.8, "report.audit.kappa.substantial"),
        (0.81, "report.audit.kappa.almost_perfect"),
    ],
)
def test_kappa_words(value: float | None, key: str) -> None:
    assert kappa_words(value, "en") == t(key, "en")


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (None, "report.audit.undefined"),
        (0.5, "report.audit.alpha.unreliable"),
        (0.667, "report.audit.alpha.tentative"),
        (0.8, "report.audit.alpha.reliable"),
    ],
)
def test_alpha_words(value: float | None, key: str) -> None:
    assert alpha_words(value, "zh") == t(key, "zh")


@pytest.mark.parametrize("path", sorted(REPORTS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_chinese_in_report_source(path: Path) -> None:
    """Every Chinese label of the reports comes from the catalogue."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
    ]
    assert found == []


def test_reports_use_only_catalogue_keys_that_exist() -> None:
    keys: set[str] = set()
    for path in REPORTS_DIR.glob("*.py"):
        keys |= set(
            re.findall(r'"(report\.audit\.[a-z0-9_.]+|chart\.[a-z_]+)"', path.read_text(encoding="utf-8"))
        )
    missing: Mapping[str, object] = {key: None for key in keys if key not in catalogue()}
    assert not missing
    assert "report.audit.title" in keys


def test_any_spelling_of_the_language_works(results: AuditResults, pack: Pack) -> None:
    document = audit_report_html(results, pack, "en-US")
    assert '<html lang="en">' in document and "Fact finding" in document
    assert _book(results, pack, "en_GB").sheetnames == SHEETS["en"]


def test_the_population_source_is_said_in_words(results: AuditResults, pack: Pack) -> None:
    from toolkit.reports import AuditLabels

    zh, en = AuditLabels(results, pack, "zh"), AuditLabels(results, pack, "en")
    assert zh.source("dossiers:60") == "生成案卷 60 件"
    assert en.source("ledger:台账.xlsx") == "Ledger file 台账.xlsx"
    assert en.source("ledger:demo") == "The demo ledger"
    assert zh.source("something else") == "something else"
