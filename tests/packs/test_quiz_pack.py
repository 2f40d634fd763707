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
    "appeals",
    "false_reports",
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


def _months(start: date, n: int) -> date:
    """The same day ``n`` months on, or that month's last day."""
    year, month0 = divmod(start.year * 12 + start.month - 1 + n, 12)
    following = date(year + (month0 == 11), (month0 + 1) % 12 + 1, 1)
    return date(year, month0 + 1, min(start.day, (following - timedelta(days=1)).day))


#: the time limits of the default pack, as the rules they come from set them
LIMITS = {
    "acceptance_notice": lambda d, ext: _working_days(d, 15),
    "report_up": lambda d, ext: _working_days(d, 5),
    "forwarded_disposition": lambda d, ext: _working_days(d, 5),
    "result_feedback": lambda d, ext: _working_days(d, 15),
    "inquiry_reply": lambda d, ext: _working_days(d, 15),
    "disposal_plan": lambda d, ext: _next_workday(_months(d, 1)),
    "inquiry_report": lambda d, ext: _next_workday(_months(d, 1)),
    "petition_acceptance_notice": lambda d, ext: _next_workday(d + timedelta(days=15)),
    "review_request": lambda d, ext: _next_workday(d + timedelta(days=30)),
    # 60 日; extended, the limit itself becomes 60 + 30 = 90 日, and only its last day is rolled
    "petition_close": lambda d, ext: _next_workday(d + timedelta(days=90 if ext else 60)),
    "discipline_appeal_close": lambda d, ext: _next_workday(_months(d, 3)),  # 监督执纪工作规则 第五十九条
    "accountability_appeal_decision": lambda d, ext: _next_workday(_months(d, 1)),  # 问责条例
    "supervision_review_decision": lambda d, ext: _next_workday(_months(d, 1)),  # 监察法 第五十六条
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


# -- every key follows a rule a learner can look up -------------------------------------------------------

#: an article: 第十五条, 第二百零三条
ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇]+条")
#: where no article can be named, the source says why
MARKERS = ("unverified", "地方做法", "本训练包")
#: a stem or option about an appeal (申诉求决类 is a 信访 category, not an appeal)
APPEAL_WORDS = ("申诉", "复审", "处分决定", "问责决定")
#: the 信访 15 日 and 60 日 as a text writes them (not the 15th of a month)
PETITION_DAYS = re.compile(r"(?<![\d月])(?:15|60)日")
APPEAL_RULES = {"discipline_appeal_close", "accountability_appeal_decision", "supervision_review_decision"}


def _raw_questions() -> list[dict[str, object]]:
    questions: list[dict[str, object]] = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))["questions"]
    return questions


def test_every_source_names_an_article_or_says_why_not() -> None:
    """Each document a source names (each part between ；) comes with its year and an article, or says the
    article is unverified, or the source is a named local practice or this pack's own simplification."""
    for q in _raw_questions():
        source = str(q["source"])
        assert ARTICLE.search(source) or any(m in source for m in MARKERS), (q["id"], source)
        for part in source.split("；"):
            if "《" in part:
                assert ARTICLE.search(part) or any(m in part for m in MARKERS), (q["id"], part)
        for title in re.finditer(r"《[^》]+》", source):
            assert re.match(r"\((?:[^)]*?)\d{4}", source[title.end() :]), (q["id"], title.group())


def test_no_bank_question_keys_a_petition_limit_for_an_appeal(pack: Pack) -> None:
    """党纪处分申诉, 问责申诉 and 监察复审 have their own limits: no question about one keys the 信访 15 日 or
    60 日 (a true statement, a right option, a date counted by a 信访 rule)."""
    raw = {str(q["id"]): q for q in _raw_questions()}
    asked = 0
    for q in pack.quiz.questions:
        text = (q.stem + "".join(q.options)).replace("申诉求决类", "")
        if not any(word in text for word in APPEAL_WORDS):
            continue
        asked += 1
        if q.kind is QuestionKind.DATE:
            spec = raw[q.id]["deadline"]
            assert isinstance(spec, dict) and spec["rule"] in APPEAL_RULES, (q.id, spec)
        elif q.kind is QuestionKind.TRUE_FALSE:
            assert q.answer == ("false",) or not PETITION_DAYS.search(q.stem), q.id
        else:
            keyed = [q.options[LETTERS.index(a)] for a in q.answer]
            assert not any(PETITION_DAYS.search(option) for option in keyed), (q.id, keyed)
    assert asked >= 8
    dated = {str(spec["rule"]) for q in raw.values() if isinstance(spec := q.get("deadline"), dict)}
    assert APPEAL_RULES <= dated  # a date question for every appeal limit the rules model


def test_q069_is_ninety_days_from_acceptance(pack: Pack) -> None:
    """60 日 extended by 30 日 is 90 日 from acceptance: 2025-08-05 + 90 days, counted by hand: 26 days left
    in August, 30 in September, 31 in October, 3 in November: 2025-11-03, a Monday and a working day."""
    assert 26 + 30 + 31 + 3 == 90
    assert pack.quiz.question("q069").answer == ("2025-11-03",)
    spec = next(q for q in _raw_questions() if q["id"] == "q069")["deadline"]
    assert spec == {"rule": "petition_close", "start": "2025-08-05", "extended": True}


def test_q035_follows_the_rule_on_what_comes_after_an_inquiry(pack: Pack) -> None:
    """监督执纪工作规则 第三十条第(三)项: where discipline or legal liability must be pursued, the office
    proposes a verification (提出初步核实的建议), not a verification or a case."""
    q = pack.quiz.question("q035")
    assert q.kind is QuestionKind.TRUE_FALSE and q.answer == ("true",)
    assert "应当提出初步核实的建议" in q.stem and "立案" not in q.stem
    assert "第三十条第(三)项" in q.source


def test_q029_keys_the_principal_exception(pack: Pack) -> None:
    """监督执纪工作规则 第二十九条: a 被函询人 who is the principal, or whose explanation concerns the
    principal, replies directly; the key must not say every reply goes through the principal."""
    q = pack.quiz.question("q029")
    assert q.kind is QuestionKind.TRUE_FALSE
    assert "主要负责人" in q.stem and "直接" in q.stem and q.answer == ("true",)


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
        "    step: referral\n    clock: working_days\n    amount: 5\n",
        "  - code: report_up\n    name: {zh: 报送上级, en: Send up to the level above}\n"
        "    step: referral\n    clock: working_days\n    amount: 6\n",
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
