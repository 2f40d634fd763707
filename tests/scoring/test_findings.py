"""Scoring of fault finding: the key as findings scores full marks, each miss and false alarm costs
what the catalogue and the rubric say, and the order of the marks never changes the total."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.domain.codes import DefectDimension, DocumentType, Level
from toolkit.domain.dossier import DocField, Document, Dossier, Finding, PlantedDefect
from toolkit.errors import PackInvalid
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack, load_pack
from toolkit.scoring.findings import (
    STEPS,
    FalseAlarm,
    FindingsReport,
    ItemKind,
    match_findings,
    score_findings,
)

BOUNDED = settings(max_examples=150, deadline=None, derandomize=True)


@dataclasses.dataclass(frozen=True, slots=True)
class FakeDefect:
    """A catalogue entry with the fields scoring reads (the tests price defects themselves)."""

    code: str
    dimension: DefectDimension
    name: str
    severity: int
    rule: str
    source: str
    explanation: str


FAKES = {
    d.code: d
    for d in (
        FakeDefect(
            "late_feedback",
            DefectDimension.FEEDBACK,
            "反馈超期",
            5,
            "实名件办结后按时反馈。",
            "《甲》",
            "晚了",
        ),
        FakeDefect(
            "no_signature", DefectDimension.PROCEDURE, "缺少签批", 3, "拟办意见须经批示。", "《乙》", "没签"
        ),
        FakeDefect(
            "wrong_route", DefectDimension.QUALIFICATION, "分办错误", 8, "按管理权限分办。", "《丙》", "错办"
        ),
        FakeDefect(
            "leak", DefectDimension.CONFIDENTIALITY, "泄露举报人", 2, "举报人信息保密。", "《丁》", "泄密"
        ),
    )
}


@pytest.fixture(scope="module")
def fpack(pack: Pack) -> Pack:
    """The default pack with a catalogue of known severities."""
    return dataclasses.replace(pack, defects=dataclasses.replace(pack.defects, types=FAKES))


def _doc(doc_id: str, kind: DocumentType, title: str) -> Document:
    return Document(
        doc_id,
        kind,
        title,
        date(2025, 3, 4),
        (DocField("received", "收件日期", "2025年3月4日", "2025-03-04"),),
        ("第一段。", "第二段。"),
    )


DOCS = (
    _doc("d1", DocumentType.REGISTRATION, "信访举报登记表"),
    _doc("d2", DocumentType.ROUTING_SLIP, "拟办意见"),
    _doc("d3", DocumentType.CLOSING_REPORT, "办结报告"),
    _doc("d4", DocumentType.REPLY_RECORD, "反馈记录"),
)
KEY = (
    PlantedDefect("late_feedback", "d4", "field:received", ("d3",), "办结后第20个工作日才反馈"),
    PlantedDefect("no_signature", "d2", "paragraph:1"),
    PlantedDefect("wrong_route", "d2", "document", (), "应交办乡镇纪委"),
)


def _dossier(key: tuple[PlantedDefect, ...] = KEY, dossier_id: str = "t-1") -> Dossier:
    return Dossier(dossier_id, 11, 0, "default@1.0.0", "default-11-000000", Level.MEDIUM, DOCS, key)


def _perfect(key: tuple[PlantedDefect, ...] = KEY) -> list[Finding]:
    return [Finding(p.document, p.defect, "见此处") for p in key]


MAX = sum(FAKES[p.defect].severity for p in KEY)


def _items_total(report: FindingsReport) -> float:
    return round(sum(i.points for i in report.items), 2)


# -- full marks, misses, false alarms ---------------------------------------------------------------


def test_perfect_findings_score_the_maximum(fpack: Pack) -> None:
    report = score_findings(_dossier(), _perfect(), fpack)
    assert report.total == report.max == MAX == 16
    assert (report.hits, report.misses, report.false_alarms) == (3, 0, 0)
    assert (
        report.grade == "excellent"
        and report.grade_label() == "优秀"
        and report.grade_label("en") == "Excellent"
    )
    assert report.percent == 100
    assert [i.field for i in report.items] == [
        "defect.late_feedback",
        "defect.no_signature",
        "defect.wrong_route",
    ]
    for item, planted in zip(report.items, KEY, strict=True):
        info = FAKES[planted.defect]
        assert item.kind is ItemKind.HIT and item.points == item.max == info.severity
        assert (item.name, item.rule, item.source, item.explanation) == (
            info.name,
            info.rule,
            info.source,
            info.explanation,
        )
        assert item.planted == planted and item.dimension == info.dimension.value
        assert item.reason.startswith("查出") and item.reason.endswith(info.rule)
    assert report.answer_key == KEY


def test_reasons_say_where_the_defect_is(fpack: Pack) -> None:
    items = score_findings(_dossier(), [], fpack).items
    assert (
        "第4份《反馈记录》“收件日期”栏" in items[0].reason and "办结后第20个工作日才反馈" in items[0].reason
    )
    assert "第2份《拟办意见》第2段" in items[1].reason
    assert items[2].reason.startswith("漏查：第2份《拟办意见》的“分办错误”")


@pytest.mark.parametrize("missed", range(len(KEY)))
def test_each_miss_costs_exactly_the_severity(fpack: Pack, missed: int) -> None:
    marks = [m for n, m in enumerate(_perfect()) if n != missed]
    report = score_findings(_dossier(), marks, fpack)
    assert report.total == MAX - FAKES[KEY[missed].defect].severity
    assert (report.hits, report.misses, report.false_alarms) == (2, 1, 0)
    item = report.items[missed]
    assert item.kind is ItemKind.MISS and item.points == 0 and item.max == FAKES[KEY[missed].defect].severity
    assert item.mark is None and item.reason.startswith("漏查")


@pytest.mark.parametrize(
    ("mark", "why"),
    [
        (Finding("d1", "no_such_defect"), FalseAlarm.UNKNOWN_DEFECT),
        (Finding("d9", "leak"), FalseAlarm.UNKNOWN_DOCUMENT),
        (Finding("d2", "no_signature"), FalseAlarm.DUPLICATE),
        (Finding("d3", "late_feedback"), FalseAlarm.DUPLICATE),
        (Finding("d1", "no_signature"), FalseAlarm.WRONG_DOCUMENT),
        (Finding("d1", "leak"), FalseAlarm.NOT_PLANTED),
    ],
)
def test_each_false_alarm_costs_exactly_the_rubric_points(
    fpack: Pack, mark: Finding, why: FalseAlarm
) -> None:
    cost = fpack.findings_rubric.false_alarm
    assert cost == 3
    for extra in (1, 2):
        report = score_findings(_dossier(), [*_perfect(), *[mark] * extra], fpack)
        assert report.total == MAX - extra * cost
        assert (report.hits, report.misses, report.false_alarms) == (3, 0, extra)
        alarms = [i for i in report.items if i.kind is ItemKind.FALSE_ALARM]
        assert [a.field for a in alarms] == [f"false_alarm.{n}" for n in range(1, extra + 1)]
        for alarm in alarms:
            assert alarm.points == -cost and alarm.max == 0 and alarm.mark == mark
            assert (
                alarm.reason.startswith("误报")
                and fpack.findings_rubric.false_alarm_rule.text in alarm.reason
            )
            assert alarm.source == fpack.findings_rubric.false_alarm_rule.source
        assert {a.false_alarm for a in alarms} == {why}


def test_false_alarm_reasons_name_what_was_wrong(fpack: Pack) -> None:
    marks = [
        *_perfect(),
        Finding("d1", "no_such_defect"),
        Finding("d9", "leak"),
        Finding("d2", "no_signature"),
        Finding("d1", "no_signature"),
        Finding("d1", "leak"),
    ]
    alarms = [i for i in score_findings(_dossier(), marks, fpack).items if i.kind is ItemKind.FALSE_ALARM]
    reasons = [a.reason for a in alarms]
    assert "没有“no_such_defect”这类问题" in reasons[0]
    assert "本卷没有文书d9" in reasons[1]
    assert "已由第2处标记查出" in reasons[2] and "重复" in reasons[2]
    assert "第1份《信访举报登记表》中没有“缺少签批”" in reasons[3] and "第2份《拟办意见》" in reasons[3]
    assert "本卷中没有“泄露举报人”" in reasons[4]
    assert [a.mark_no for a in alarms] == [4, 5, 6, 7, 8]


def test_the_total_never_goes_below_zero(fpack: Pack) -> None:
    marks = [Finding("d1", "leak")] * 10
    report = score_findings(_dossier(), marks, fpack)
    assert _items_total(report) == -30
    assert report.total == 0 and report.max == MAX
    assert report.grade == "fail" and report.percent == 0
    assert (report.hits, report.misses, report.false_alarms) == (0, 3, 10)


# -- clean dossiers ---------------------------------------------------------------------------------


def test_a_clean_dossier_left_unmarked_earns_the_clean_points(fpack: Pack) -> None:
    report = score_findings(_dossier(()), [], fpack)
    assert report.total == report.max == fpack.findings_rubric.clean_points == 10
    assert (report.hits, report.misses, report.false_alarms) == (0, 0, 0)
    (item,) = report.items
    assert item.field == "clean" and item.kind is ItemKind.CLEAN
    assert item.reason.startswith("正确") and item.source == fpack.findings_rubric.clean_rule.source
    assert report.grade == "excellent" and report.by_defect() == {}


@pytest.mark.parametrize("k", range(1, 6))
def test_every_mark_on_a_clean_dossier_is_a_false_alarm(fpack: Pack, k: int) -> None:
    marks = [Finding(f"d{n % 4 + 1}", code) for n, code in zip(range(k), list(FAKES) * 2, strict=False)]
    report = score_findings(_dossier(()), marks, fpack)
    assert report.false_alarms == k and report.hits == 0
    assert report.total == max(0, 10 - 3 * k) and report.max == 10
    assert {i.false_alarm for i in report.items if i.kind is ItemKind.FALSE_ALARM} == {FalseAlarm.NOT_PLANTED}
    assert f"所作{k}处标记均为误报" in report.items[0].reason


# -- matching -------------------------------------------------------------------------------------


def test_a_mark_where_the_defect_also_shows_is_a_hit(fpack: Pack) -> None:
    marks = [Finding("d3", "late_feedback"), *_perfect()[1:]]
    report = score_findings(_dossier(), marks, fpack)
    assert report.total == MAX and report.false_alarms == 0
    assert report.items[0].kind is ItemKind.HIT and "标在第3份《办结报告》" in report.items[0].reason


def test_duplicate_marks_hit_once(fpack: Pack) -> None:
    marks = [Finding("d2", "no_signature"), Finding("d2", "no_signature", "again")]
    report = score_findings(_dossier(), marks, fpack)
    assert (report.hits, report.false_alarms) == (1, 1)
    assert report.total == FAKES["no_signature"].severity - 3
    both_places = [Finding("d4", "late_feedback"), Finding("d3", "late_feedback")]
    report = score_findings(_dossier(), both_places, fpack)
    assert (report.hits, report.false_alarms) == (1, 1)
    assert report.items[-1].false_alarm is FalseAlarm.DUPLICATE


def test_two_defects_of_one_type_take_two_marks(fpack: Pack) -> None:
    key = (
        PlantedDefect("leak", "d1", "paragraph:0", ("d2",)),
        PlantedDefect("leak", "d2", "paragraph:1"),
    )
    for marks in (
        [Finding("d2", "leak"), Finding("d1", "leak")],
        [Finding("d1", "leak"), Finding("d2", "leak")],
    ):
        report = score_findings(_dossier(key), marks, fpack)
        assert (report.hits, report.false_alarms, report.total) == (2, 0, 4), marks
        assert report.by_defect() == {"leak": (2, 2)}
    one = score_findings(_dossier(key), [Finding("d2", "leak")], fpack)
    assert one.by_defect() == {"leak": (1, 2)} and one.total == 2


def test_matching_is_deterministic_and_largest() -> None:
    key = (
        PlantedDefect("leak", "d1", "document", ("d2",)),
        PlantedDefect("leak", "d2", "document"),
    )
    marks = [Finding("d2", "leak"), Finding("d1", "leak")]
    assert match_findings(key, marks) == {0: 1, 1: 0}
    assert match_findings(key, marks) == match_findings(key, list(marks))
    assert match_findings(key, [Finding("d2", "leak")] * 3) == {0: 0, 1: 1}
    assert match_findings((), marks) == {}


def test_by_defect_counts_hits_and_planted(fpack: Pack) -> None:
    report = score_findings(_dossier(), [Finding("d2", "wrong_route"), Finding("d1", "leak")], fpack)
    assert report.by_defect() == {"late_feedback": (0, 1), "no_signature": (0, 1), "wrong_route": (1, 1)}


_MARKS = st.lists(
    st.builds(
        Finding,
        document=st.sampled_from(["d1", "d2", "d3", "d4", "d9"]),
        defect=st.sampled_from([*FAKES, "no_such_defect"]),
        note=st.just(""),
    ),
    max_size=12,
)
_KEYS = st.lists(
    st.builds(
        PlantedDefect,
        defect=st.sampled_from(list(FAKES)),
        document=st.sampled_from(["d1", "d2", "d3", "d4"]),
        location=st.just("document"),
        shows_in=st.lists(st.sampled_from(["d1", "d2", "d3", "d4"]), max_size=2, unique=True).map(tuple),
    ),
    max_size=5,
).map(tuple)


@BOUNDED
@given(key=_KEYS, marks=_MARKS)
def test_totals_stay_between_zero_and_the_maximum(
    fpack: Pack, key: tuple[PlantedDefect, ...], marks: list[Finding]
) -> None:
    report = score_findings(_dossier(key), marks, fpack)
    planted_max = sum(FAKES[p.defect].severity for p in key) if key else fpack.findings_rubric.clean_points
    assert report.max == planted_max
    assert 0 <= report.total <= report.max
    assert report.hits + report.misses == len(key)
    assert report.hits + report.false_alarms == len(marks)
    hit_points = sum(i.points for i in report.items if i.kind in (ItemKind.HIT, ItemKind.CLEAN))
    assert report.total == max(0, round(hit_points - 3 * report.false_alarms, 2))
    assert sum(h for h, _ in report.by_defect().values()) == report.hits
    assert sum(n for _, n in report.by_defect().values()) == len(key)


@BOUNDED
@given(key=_KEYS, marks=_MARKS, data=st.data())
def test_the_order_of_the_marks_does_not_change_the_total(
    fpack: Pack, key: tuple[PlantedDefect, ...], marks: list[Finding], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(marks))
    a = score_findings(_dossier(key), marks, fpack)
    b = score_findings(_dossier(key), shuffled, fpack)
    assert (a.total, a.hits, a.misses, a.false_alarms, a.by_defect()) == (
        b.total,
        b.hits,
        b.misses,
        b.false_alarms,
        b.by_defect(),
    )
    assert score_findings(_dossier(key), marks, fpack) == a


# -- report and errors ------------------------------------------------------------------------------


def test_report_to_dict_is_plain_json(fpack: Pack) -> None:
    marks = [*_perfect()[:2], Finding("d1", "leak", "多标")]
    report = score_findings(_dossier(), marks, fpack)
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert {k: data[k] for k in ("dossier_id", "seed", "pack", "total", "max", "grade")} == {
        "dossier_id": "t-1",
        "seed": 11,
        "pack": "default@1.0.0",
        "total": 5 + 3 - 3,
        "max": 16,
        "grade": "fail",
    }
    assert (data["hits"], data["misses"], data["false_alarms"]) == (2, 1, 1)
    assert data["by_defect"]["wrong_route"] == {"hits": 0, "planted": 1}
    assert data["answer_key"] == [p.to_dict() for p in KEY]
    kinds = [i["kind"] for i in data["items"]]
    assert kinds == ["hit", "hit", "miss", "false_alarm"]
    assert data["items"][3]["mark"] == {"document": "d1", "defect": "leak", "note": "多标"}
    assert data["items"][3]["false_alarm"] == "not_planted"
    assert data["items"][0]["planted"]["shows_in"] == ["d3"]


def test_steps_are_declared_once_in_report_order() -> None:
    assert [s.__name__ for s in STEPS] == ["score_planted", "score_clean", "score_false_alarms"]


def test_a_key_the_pack_cannot_price_is_an_error(fpack: Pack) -> None:
    key = (PlantedDefect("from_another_pack", "d1", "document"),)
    with pytest.raises(ValueError, match="from_another_pack"):
        score_findings(_dossier(key), [], fpack)


# -- the findings rubric ----------------------------------------------------------------------------


def test_default_findings_rubric(pack: Pack) -> None:
    rubric = pack.findings_rubric
    assert (rubric.false_alarm, rubric.clean_points) == (3, 10)
    for rule in (rubric.false_alarm_rule, rubric.clean_rule):
        assert rule.text and rule.source
    assert rubric.grades == pack.intake_rubric.grades
    assert rubric.grade(0.9).code == "excellent" and rubric.grade(0.59).code == "fail"
    assert rubric.to_dict()["clean_rule"]["source"] == rubric.clean_rule.source


def _edit_rubrics(folder: Path, old: str, new: str) -> None:
    path = folder / "rubrics.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(folder: Path, text: str) -> int:
    content = (folder / "rubrics.yaml").read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("  clean_points: 10\n", "  clean_points: 0\n", "findings.clean_points", "more than 0"),
        ("  false_alarm: 3\n", "  false_alarm: -1\n", "findings.false_alarm", "less than the minimum"),
        ("  false_alarm: 3\n", "  false_alarm: three\n", "findings.false_alarm", "not of type 'number'"),
        ("  clean_points: 10\n", "  clean_points: 10\n  bonus: 2\n", "findings", "unknown field(s)"),
    ],
)
def test_findings_rubric_mistakes_are_reported(
    pack_copy: Path, old: str, new: str, field: str, message: str
) -> None:
    _edit_rubrics(pack_copy, old, new)
    with pytest.raises(PackInvalid) as info:
        load_pack(pack_copy)
    mine = [p for p in info.value.problems if p.field == field]
    assert len(mine) == 1, [p.describe() for p in info.value.problems]
    assert mine[0].file == "rubrics.yaml" and message in mine[0].message
    key = field.rpartition(".")[2]
    assert mine[0].line == _line_of(pack_copy, f"{'  ' * field.count('.')}{key}:")


def test_a_rubrics_file_without_findings_is_reported(pack_copy: Path) -> None:
    path = pack_copy / "rubrics.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("findings:\n"), text.index("# Grade bands")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(PackInvalid) as info:
        load_pack(pack_copy)
    assert any("'findings' is required" in p.message for p in info.value.problems)


# -- generated dossiers (toolkit.generate.dossiers) -------------------------------------------------


@pytest.mark.parametrize("defects", [0, 1, 3])
def test_generated_dossiers_key_as_findings_scores_the_maximum(
    pack: Pack, generator: CaseGenerator, defects: int
) -> None:
    from toolkit.generate.dossiers import dossiers

    for dossier in dossiers(generator, 5, 12, defects=defects):
        assert len(dossier.answer_key) == defects
        perfect = score_findings(dossier, _perfect(dossier.answer_key), pack)
        assert perfect.total == perfect.max > 0 and perfect.false_alarms == 0
        none = score_findings(dossier, [], pack)
        assert none.misses == defects and none.total == (0 if defects else none.max)
        again = Dossier.from_dict(json.loads(json.dumps(dossier.to_dict(), ensure_ascii=False)))
        assert score_findings(again, _perfect(again.answer_key), pack) == perfect


def test_hit_rates_add_up_the_stored_reports() -> None:
    from toolkit.scoring.findings import hit_rates

    reports = [
        {"by_defect": {"a": {"hits": 1, "planted": 1}, "b": {"hits": 0, "planted": 1}}},
        {"by_defect": {"a": {"hits": 0, "planted": 1}}},
        {"by_defect": {}},
        {},
    ]
    assert hit_rates(reports) == {"a": (1, 2), "b": (0, 1)}
