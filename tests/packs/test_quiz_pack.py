"""quiz.yaml: the default bank's content floor, its answers checked against the holiday data, and each kind of
mistake reported naming quiz.yaml, the line and the field."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pack_edits
import pytest
import yaml

from toolkit.domain.quiz import LETTERS, QuestionKind
from toolkit.errors import PackFileError, PackInvalid
from toolkit.packs import Pack, load_pack

QUIZ = Path(__file__).resolve().parents[2] / "scenarios" / "default" / "quiz.yaml"
REGULATIONS = (
    "《信访工作条例》(2022)",
    "《纪检监察机关处理检举控告工作规则》(2020)",
    "《中国共产党纪律检查机关监督执纪工作规则》(2019)",
)
#: practices of the seed articles the bank must ask about (a word of each, as stems and options write it)
PRACTICES = (
    "辨、查、商、定",
    "四位一体",
    "五环",
    "两个当天",
    "红橙黄",
    "双向移交、单向反馈",
    "互找茬",
    "四色",
)
TOPICS = {
    "scope",
    "categories",
    "time_limits",
    "routing",
    "disposal",
    "confidentiality",
    "repeat",
    "feedback",
    "visits",
    "ledger_cards",
    "review",
}


def test_the_default_bank(pack: Pack) -> None:
    bank = pack.quiz
    assert len(bank) >= 70
    for kind in QuestionKind:
        assert len(bank.by_kind(kind)) >= 10, kind
    assert bank.points == {
        QuestionKind.SINGLE: 1.0,
        QuestionKind.MULTIPLE: 2.0,
        QuestionKind.TRUE_FALSE: 1.0,
        QuestionKind.DATE: 2.0,
    }
    ids = [q.id for q in bank.questions]
    assert len(ids) == len(set(ids))
    assert TOPICS <= set(bank.by_topic()) <= set(bank.topics)
    assert sum(len(qs) for qs in bank.by_topic().values()) == len(bank)
    for q in bank.questions:
        assert q.source.strip() and len(q.explanation) >= 10 and len(q.stem) >= 8, q.id
        assert q.topic in bank.topics and q.seed is None and q.pack == "", q.id
        assert "answer" not in q.public_dict() and "explanation" not in q.public_dict()
        assert len(set(q.options)) == len(q.options), q.id
        letters = LETTERS[: len(q.options)]
        if q.kind is QuestionKind.SINGLE:
            assert len(q.options) >= 2 and len(q.answer) == 1 and q.answer[0] in letters, q.id
        elif q.kind is QuestionKind.MULTIPLE:
            assert len(q.options) >= 3 and len(q.answer) >= 2, q.id
            assert set(q.answer) <= set(letters) and list(q.answer) == sorted(set(q.answer)), q.id
        elif q.kind is QuestionKind.TRUE_FALSE:
            assert q.options == () and q.answer in (("true",), ("false",)), q.id
        else:
            assert q.options == () and len(q.answer) == 1, q.id
            date.fromisoformat(q.answer[0])
    assert bank.max_points() == sum(bank.points[q.kind] for q in bank.questions)


def test_the_bank_covers_the_regulations_and_the_local_practices(pack: Pack) -> None:
    sources = " ".join(q.source for q in pack.quiz.questions)
    texts = " ".join(q.stem + " ".join(q.options) for q in pack.quiz.questions)
    for regulation in REGULATIONS:
        assert regulation in sources, regulation
    for practice in PRACTICES:
        assert practice in texts, practice
    # the four ways of lead disposal of the 2019 rules, asked as a whole
    four = [q for q in pack.quiz.questions if q.kind is QuestionKind.MULTIPLE and "四类处置方式" in q.stem]
    assert four and {four[0].options[LETTERS.index(a)] for a in four[0].answer} == {
        "谈话函询",
        "初步核实",
        "暂存待查",
        "予以了结",
    }
    # the time limits DESIGN.md lists are the ones the bank teaches
    keyed = {q.id: q for q in pack.quiz.questions}
    assert keyed["q045"].options[LETTERS.index(keyed["q045"].answer[0])] == "收到之日起15个工作日内"
    assert keyed["q052"].options[LETTERS.index(keyed["q052"].answer[0])] == "60日"
    assert keyed["q053"].options[LETTERS.index(keyed["q053"].answer[0])] == "30日"


def test_lookups(pack: Pack) -> None:
    bank = pack.quiz
    assert bank.question("q001").kind is QuestionKind.SINGLE
    with pytest.raises(KeyError, match="no question 'q999'"):
        bank.question("q999")
    assert bank.topics["scope"].label("zh") == "受理范围" and bank.topics["scope"].label("en") == "Scope"


# -- the date answers, recomputed from the holiday data alone -------------------------------------------


def _next_workday(day: date) -> date:
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def _working_days(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def _one_month(start: date) -> date:
    year, month = divmod(start.year * 12 + start.month, 12)
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month + 1, min(start.day, last))


#: DESIGN.md section 3: the time limits of the default pack
LIMITS = {
    "acceptance_notice": lambda d, ext: _working_days(d, 15),
    "report_up": lambda d, ext: _working_days(d, 5),
    "forwarded_disposition": lambda d, ext: _working_days(d, 5),
    "result_feedback": lambda d, ext: _working_days(d, 15),
    "inquiry_reply": lambda d, ext: _working_days(d, 15),
    "disposal_plan": lambda d, ext: _next_workday(_one_month(d)),
    "petition_acceptance_notice": lambda d, ext: _next_workday(d + timedelta(days=15)),
    "transfer": lambda d, ext: _next_workday(d + timedelta(days=15)),
    "review_request": lambda d, ext: _next_workday(d + timedelta(days=30)),
    # the extension runs from the (rolled) end of the 60 days, as the pack's rules count it
    "petition_close": lambda d, ext: (
        _next_workday(_next_workday(d + timedelta(days=60)) + timedelta(days=30))
        if ext
        else _next_workday(d + timedelta(days=60))
    ),
}


def test_every_date_answer_agrees_with_the_holiday_data() -> None:
    raw = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))
    dated = [q for q in raw["questions"] if q["kind"] == "date"]
    assert len(dated) >= 10 and all("deadline" in q for q in dated)
    for q in dated:
        spec = q["deadline"]
        start = date.fromisoformat(spec["start"])
        stem_date = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", q["stem"])
        assert stem_date and date(*map(int, stem_date.groups())) == start, q["id"]
        expected = LIMITS[spec["rule"]](start, spec.get("extended", False))
        assert q["answer"] == expected.isoformat(), q["id"]
        # every bank date question crosses a holiday or a 调休 weekend
        between = [start + timedelta(days=n) for n in range(1, (expected - start).days + 1)]
        assert any((d.weekday() < 5) != chinese_calendar.is_workday(d) for d in between), q["id"]


# -- mistakes in a copy of the pack ---------------------------------------------------------------------


def _problem(folder: Path, field: str) -> PackFileError:
    problems = pack_edits.problems(folder)
    assert {p.file for p in problems} == {"quiz.yaml"}, [p.describe() for p in problems]
    mine = [p for p in problems if p.field == field]
    assert len(mine) == 1, [p.describe() for p in problems]
    return mine[0]


def _line(text: str, anchor: str) -> int:
    return text[: text.index(anchor)].count("\n") + 1


Q064_START = 'deadline: {rule: acceptance_notice, start: "2025-09-26"}'


@pytest.mark.parametrize(
    ("old", "new", "field", "message", "anchor"),
    [
        ("  - id: q002\n", "  - id: q001\n", "questions[1].id", "question 'q001' is defined twice", None),
        ("    answer: B\n", "    answer: BC\n", "questions[0].answer", "exactly one letter", None),
        ("    answer: B\n", "    answer: E\n", "questions[0].answer", "beyond the 4 options (A–D)", None),
        ("    answer: B\n", "    answer: true\n", "questions[0].answer", "not true", None),
        ("    answer: ABC\n", "    answer: A\n", "questions[1].answer", "at least 2 letters", None),
        ("    answer: ABC\n", "    answer: ABE\n", "questions[1].answer", "beyond the 4 options", None),
        ("    answer: ABC\n", "    answer: AAB\n", "questions[1].answer", "names a letter twice", None),
        (
            "      - 匿名件当天公开\n      - 转办件当天办结\n",
            "",
            "questions[48].options",
            "needs at least 3 options, has 2",
            "      - 实名件当天反馈\n      - 核查办结当天反馈\n",
        ),
        (
            "    answer: false\n",
            "    answer: maybe\n",
            "questions[2].answer",
            "true or false, not 'maybe'",
            None,
        ),
        (
            "    answer: false\n",
            "    options: [对, 错]\n    answer: false\n",
            "questions[2].options",
            "a true_false question has no options",
            None,
        ),
        (
            '    answer: "2025-10-23"\n',
            '    answer: "2025-10-32"\n',
            "questions[63].answer",
            "not a real date",
            None,
        ),
        (
            '    answer: "2025-10-23"\n',
            '    answer: "23/10/2025"\n',
            "questions[63].answer",
            "ISO date",
            None,
        ),
        (
            '    answer: "2025-10-23"\n',
            '    answer: "2025-10-22"\n',
            "questions[63].answer",
            "rules.yaml 'acceptance_notice' from 2025-09-26 gives 2025-10-23",
            None,
        ),
        (
            Q064_START,
            'deadline: {rule: acceptance_notes, start: "2025-09-26"}',
            "questions[63].deadline.rule",
            "no deadline rule 'acceptance_notes'",
            None,
        ),
        (
            "信访室于2025年9月26日(星期五)收到",
            "信访室于9月26日(星期五)收到",
            "questions[63].stem",
            "does not give the start date 2025年9月26日",
            None,
        ),
        (
            "    source: 《纪检监察机关处理检举控告工作规则》(2020)第四条\n",
            '    source: "  "\n',
            "questions[0].source",
            "the source is blank",
            None,
        ),
        (
            "    source: 《纪检监察机关处理检举控告工作规则》(2020)第四条\n",
            "",
            "questions[0]",
            "'source' is required",
            "  - id: q001\n",
        ),
        (
            "      - 企业长期拖欠职工工资\n",
            "      - 两户村民因宅基地边界发生纠纷\n",
            "questions[0].options[3]",
            "repeats option A",
            None,
        ),
        ("    topic: scope\n", "    topic: nowhere\n", "questions[0].topic", "unknown topic 'nowhere'", None),
        ("    kind: single\n", "    kind: essay\n", "questions[0].kind", "'essay' is not one of", None),
        ("points: {single: 1,", "points: {single: 0,", "points.single", "less than or equal to", None),
        (
            "    answer: B\n",
            "    answer: B\n    hint: 看第四条\n",
            "questions[0]",
            "'hint' was unexpected",
            "  - id: q001\n",
        ),
    ],
)
def test_bank_mistakes_are_reported(
    pack_copy: Path, old: str, new: str, field: str, message: str, anchor: str | None
) -> None:
    before = (pack_copy / "quiz.yaml").read_text(encoding="utf-8")
    line = pack_edits.edit(pack_copy, "quiz.yaml", old, new)
    if anchor is not None:
        line = _line(before, anchor)
    problem = _problem(pack_copy, field)
    assert message in problem.message, problem.describe()
    assert problem.line is not None and abs(problem.line - line) <= 1, (
        problem.line,
        line,
        problem.describe(),
    )
    assert problem.describe().startswith(f"quiz.yaml:{problem.line}: {field}: ")


def test_a_date_question_must_follow_a_changed_rule(pack_copy: Path) -> None:
    """Editing a limit in rules.yaml makes the bank's answers about it wrong, and the loader says where."""
    pack_edits.edit(
        pack_copy,
        "rules.yaml",
        "  - code: report_up\n    name: {zh: 报送上级, en: Send up to the level above}\n"
        "    clock: working_days\n    amount: 5\n",
        "  - code: report_up\n    name: {zh: 报送上级, en: Send up to the level above}\n"
        "    clock: working_days\n    amount: 6\n",
    )
    problems = pack_edits.problems(pack_copy)
    assert {p.file for p in problems} == {"quiz.yaml"}
    assert {p.field for p in problems} == {"questions[64].answer", "questions[75].answer"}


def test_a_missing_bank_is_reported(pack_copy: Path) -> None:
    (pack_copy / "quiz.yaml").unlink()
    problems = pack_edits.problems(pack_copy)
    assert [(p.file, p.message) for p in problems] == [("quiz.yaml", "file is missing")]


def test_a_too_new_bank_is_reported(pack_copy: Path) -> None:
    pack_edits.edit(pack_copy, "quiz.yaml", "schema_version: 1\n", "schema_version: 2\n")
    with pytest.raises(PackInvalid) as info:
        load_pack(pack_copy)
    [problem] = info.value.problems
    assert problem.file == "quiz.yaml" and problem.line == 1 and "too new" in problem.message
