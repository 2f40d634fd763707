"""Generated quiz questions: deadline arithmetic computed from the pack's rules on its working-day calendar.

Each generator is a small function ``(pack, dates, rng) -> Question`` registered by name in
:data:`GENERATORS` (with its question kind in :data:`GENERATOR_KINDS`). ``dates`` is the pack's
:class:`QuizDates`: its :class:`~toolkit.rules.calendar.WorkCalendar` and the start dates generators
draw. Half of the start dates fall within 10 days before a holiday period (National Day, Spring Festival, May
Day …), so most questions cross holidays and 调休 working weekends; every date stays in years the calendar
covers (start dates from 2024-01-01 to 30 September of the last covered year).

The answer of every question comes from the pack's own rule (:meth:`DeadlineRule.due
<toolkit.rules.deadlines.DeadlineRule.due>`): change ``rules.yaml`` and the answers follow. Stems are Chinese
and write dates as ``2025年9月26日(星期五)``; date answers are ISO dates. A question on a rule whose basis is
``training`` (this pack's own simplification) says "按本训练包规则" in its stem and "本训练包的简化" in its
source; explanations quote the rule's note as the pack's summary (规则要点), never as the regulation's text.

:func:`generate_questions` makes a deterministic set for (pack version, seed, count); question ``i`` depends
only on (pack, seed, i). :func:`generate_question` makes one question of a named generator, so a competition
can give each contestant "the same generator with another seed" as an equal-difficulty variant.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from toolkit.domain.codes import Basis, Category, Clock
from toolkit.domain.quiz import LETTERS, Question, QuestionKind, zh_date
from toolkit.errors import CalendarRangeError, GenerationError, PackError
from toolkit.generate.draw import between, pick
from toolkit.packs.model import Pack
from toolkit.rules.calendar import WorkCalendar
from toolkit.rules.deadlines import DeadlineRule

__all__ = [
    "GENERATORS",
    "GENERATOR_KINDS",
    "QuizDates",
    "dates_for",
    "generate_question",
    "generate_questions",
    "register",
]

Generator = Callable[[Pack, "QuizDates", random.Random], Question]

#: every generator by name, in registration order
GENERATORS: dict[str, Generator] = {}
#: the kind of question each generator makes
GENERATOR_KINDS: dict[str, QuestionKind] = {}

#: first day a start date may fall on
WINDOW_START = date(2024, 1, 1)
#: a start date is drawn this many days before a holiday period at most
EVE_DAYS = 10
#: attempts with the same rng when a draw lands where the calendar has no data (never for the default pack)
ATTEMPTS = 10


def register(name: str, kind: QuestionKind = QuestionKind.DATE) -> Callable[[Generator], Generator]:
    """Add a generator to :data:`GENERATORS` under ``name``."""

    def add(fn: Generator) -> Generator:
        if name in GENERATORS:
            raise ValueError(f"quiz generator {name!r} is registered twice")
        GENERATORS[name] = fn
        GENERATOR_KINDS[name] = kind
        return fn

    return add


# -- dates ------------------------------------------------------------------------------------------------


class QuizDates:
    """The pack's calendar, with the start dates generators draw from.

    Parameters
    ----------
    calendar
        The pack's working-day calendar.

    Attributes
    ----------
    window
        First and last day a start date may fall on: 2024-01-01 (or the first covered year) to 30 September
        of the last covered year, so even a 60-day limit with a 30-day extension ends inside covered years.
    eves
        The first day off of every holiday period (a run of days off with at least one weekday in it) that
        a start date within :data:`EVE_DAYS` days before can reach.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        years = calendar.years
        first = max(WINDOW_START, date(years[0], 1, 1))
        self.window = (first, date(years[-1], 9, 30))
        self.eves = self._eves()

    def _eves(self) -> tuple[date, ...]:
        lo, hi = self.window
        days = [lo - timedelta(days=1) + timedelta(days=n) for n in range((hi - lo).days + EVE_DAYS + 2)]
        days = [d for d in days if self.calendar.covers(d)]
        working = [bool(w) for w in self.calendar.is_workday_array(days)]
        eves: list[date] = []
        k = 1
        while k < len(days):
            if working[k - 1] and not working[k]:
                end = k
                while end < len(days) and not working[end]:
                    end += 1
                if any(d.weekday() < 5 for d in days[k:end]):
                    eves.append(days[k])
                k = end
            else:
                k += 1
        return tuple(eves)

    def draw(self, rng: random.Random) -> date:
        """A start date: a working day, half the time within 10 days before a holiday period."""
        lo, hi = self.window
        if self.eves and rng.random() < 0.5:
            day = pick(rng, self.eves) - timedelta(days=between(rng, 1, EVE_DAYS + 1))
        else:
            day = lo + timedelta(days=between(rng, 0, (hi - lo).days + 1))
        day = min(max(day, lo), hi)
        # offices receive, accept and close on working days; step back so the date stays before a holiday,
        # or forward where stepping back would leave the window
        if self.calendar.is_workday(day):
            return day
        back = self.calendar.add_working_days(day, -1)
        return back if back >= lo else self.calendar.add_working_days(day, 1)

    def due(self, rule: DeadlineRule, start: date, *, extended: bool = False) -> date:
        """The last day of ``rule`` counted from ``start``."""
        return rule.due(start, self.calendar, extended=extended)

    def shift(self, day: date, n: int) -> date:
        """``n`` working days after ``day`` (before it for ``n < 0``)."""
        return self.calendar.add_working_days(day, n)


_DATES: dict[str, QuizDates] = {}


def dates_for(pack: Pack) -> QuizDates:
    """The :class:`QuizDates` of ``pack`` (made once per pack and calendar)."""
    hit = _DATES.get(pack.ref)
    if hit is None or hit.calendar is not pack.calendar:
        hit = _DATES[pack.ref] = QuizDates(pack.calendar)
    return hit


# -- scenarios: who received what, and what must be done by when ------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    """The words of a deadline question around its start date.

    ``lead`` sets the scene (it contains the start date); ``done`` names the act that is due
    ("告知检举控告人受理情况"); ``who`` names who must do it where the lead leaves that open ("区人社局").
    """

    rule: str
    topic: str
    lead: str
    done: str
    extended: bool = False
    who: str = ""

    def ask(self, rule: DeadlineRule) -> str:
        """The question of a date fill-in: by which day is it due."""
        longest = "并按最长延期计算" if self.extended else ""
        return f"{_by(rule)}{longest}，{self.who}最迟应当在哪一天{self.done}？"


def _by(rule: DeadlineRule) -> str:
    """How a stem names the rule it asks about: a training simplification says so."""
    return "按本训练包规则" if rule.basis is Basis.TRAINING else "按本训练包的时限规则"


Scene = Callable[[Pack, random.Random, str], Scenario]


def _problem(pack: Pack, rng: random.Random, *categories: Category) -> str:
    names = [p.name for p in pack.problems if p.category in categories]
    return pick(rng, names) if names else "违纪违法"


def _office(pack: Pack, rng: random.Random) -> str:
    names = [o.name for o in pack.jurisdiction.offices if o.role == "supervision"]
    return pick(rng, names) if names else "承办室"


def _petitions(pack: Pack) -> str:
    try:
        return pack.jurisdiction.commission.name + pack.jurisdiction.office_by_role("petitions").name
    except PackError:
        return pack.jurisdiction.commission.name


def _acceptance_notice(pack: Pack, rng: random.Random, day: str) -> Scenario:
    channel = pick(rng, ("来信", "来访", "网络举报平台", "举报电话"))
    problem = _problem(pack, rng, Category.ACCUSATION)
    lead = (
        f"{_petitions(pack)}于{day}通过{channel}收到一件实名检举控告(检举人署本人真实姓名并留有电话)，"
        f"反映某干部{problem}问题，经筛选属于本机关受理。"
    )
    return Scenario("acceptance_notice", "feedback", lead, "告知检举控告人受理情况")


def _report_up(pack: Pack, rng: random.Random, day: str) -> Scenario:
    superior = pack.jurisdiction.superior.name
    problem = _problem(pack, rng, Category.ACCUSATION)
    lead = (
        f"{_petitions(pack)}于{day}收到一件反映市管干部{problem}问题的检举控告，"
        f"按管理权限属于{superior}受理。"
    )
    return Scenario("report_up", "routing", lead, f"报送{superior}信访举报部门")


def _forwarded(pack: Pack, rng: random.Random, day: str) -> Scenario:
    who = pick(rng, ("区管干部", "镇(街道)管理人员", "村(社区)干部"))
    problem = _problem(pack, rng, Category.ACCUSATION)
    lead = (
        f"{pack.jurisdiction.superior.name}转送一件反映{who}{problem}问题的检举控告，"
        f"{pack.jurisdiction.commission.name}于{day}收到。"
    )
    return Scenario("forwarded_disposition", "routing", lead, "完成受理或者转办")


def _petition_notice(pack: Pack, rng: random.Random, day: str) -> Scenario:
    # 信访工作条例 第二十三条第三款: an item the level above forwards; an appeal goes into its own procedure
    problem = _problem(pack, rng, Category.SUGGESTION)
    commission = pack.jurisdiction.commission.name
    lead = (
        f"{pack.jurisdiction.superior.name}转送一件实名提出的建议意见类信访事项({problem})，"
        f"属于{commission}职权范围，{commission}于{day}收到。"
    )
    return Scenario(
        "petition_acceptance_notice", "feedback", lead, "书面告知信访人接收情况以及处理途径和程序"
    )


def _out_of_scope(pack: Pack, rng: random.Random) -> tuple[str, str, str]:
    """An out-of-scope problem, the department that handles it and the office that liaises with it."""
    problems = [p for p in pack.problems if p.category is Category.OUT_OF_SCOPE]
    if not problems:
        return "业务范围外事项", "主管部门", "联系该部门的纪检监察室"
    problem = pick(rng, problems)
    jurisdiction = pack.jurisdiction
    if problem.handler is None or not jurisdiction.has(problem.handler):
        return problem.name, "主管部门", "联系该部门的纪检监察室"
    try:
        liaison = jurisdiction.name(jurisdiction.supervising_office(problem.handler))
    except PackError:
        liaison = "联系该部门的纪检监察室"
    return problem.name, jurisdiction.name(problem.handler), liaison


def _petition_close(pack: Pack, rng: random.Random, day: str) -> Scenario:
    problem, department, liaison = _out_of_scope(pack, rng)
    lead = (
        f"{pack.jurisdiction.commission.name}收到一封反映{problem}的来信，属于业务范围外事项，"
        f"于{day}转送{department}处理，同时抄送{liaison}跟踪督办。"
        "台账按主管部门的办理期限跟踪，本训练包从转送之日起算。"
    )
    return Scenario("petition_close", "time_limits", lead, "办结", who=department)


def _petition_close_extended(pack: Pack, rng: random.Random, day: str) -> Scenario:
    base = _petition_close(pack, rng, day)
    lead = base.lead + f"{base.who}因情况复杂，经本单位负责人批准延长办理期限，并已告知信访人延期理由。"
    return Scenario("petition_close", "time_limits", lead, "办结", extended=True, who=base.who)


def _result_feedback(pack: Pack, rng: random.Random, day: str) -> Scenario:
    office = _office(pack, rng)
    problem = _problem(pack, rng, Category.ACCUSATION)
    lead = f"{office}承办的一件实名检举控告(反映某干部{problem}问题)于{day}办结。"
    return Scenario("result_feedback", "feedback", lead, "向检举控告人反馈处理结果")


def _inquiry_reply(pack: Pack, rng: random.Random, day: str) -> Scenario:
    office = _office(pack, rng)
    problem = _problem(pack, rng, Category.ACCUSATION)
    lead = f"{office}对反映某干部{problem}问题的线索采取函询方式处置，被函询人于{day}收到函件。"
    return Scenario("inquiry_reply", "disposal", lead, "写出说明材料")


def _disposal_plan(pack: Pack, rng: random.Random, day: str) -> Scenario:
    office = _office(pack, rng)
    problem = _problem(pack, rng, Category.ACCUSATION)
    lead = f"{office}于{day}收到一条反映区管干部{problem}问题的线索。"
    return Scenario("disposal_plan", "disposal", lead, "提出处置意见")


def _inquiry_report(pack: Pack, rng: random.Random, day: str) -> Scenario:
    office = _office(pack, rng)
    problem = _problem(pack, rng, Category.ACCUSATION)
    if rng.random() < 0.5:
        lead = f"{office}对反映某干部{problem}问题的线索采取谈话方式处置，谈话于{day}结束。"
    else:
        lead = f"{office}对反映某干部{problem}问题的线索采取函询方式处置，于{day}收到被函询人的函询回复。"
    return Scenario("inquiry_report", "disposal", lead, "写出情况报告和处置意见", who=office)


def _discipline_appeal(pack: Pack, rng: random.Random, day: str) -> Scenario:
    commission = pack.jurisdiction.commission.name
    penalty = pick(rng, ("党内警告", "党内严重警告", "撤销党内职务", "留党察看"))
    lead = (
        f"一名党员对{commission}给予的{penalty}处分不服，提出申诉；{commission}于{day}受理，"
        "交案件审理室复议复查。"
    )
    return Scenario("discipline_appeal_close", "appeals", lead, "完成复议复查(办结)")


def _accountability_appeal(pack: Pack, rng: random.Random, day: str) -> Scenario:
    commission = pack.jurisdiction.commission.name
    measure = pick(rng, ("通报", "诫勉", "组织调整"))
    lead = (
        f"一名干部对{commission}作出的{measure}问责决定不服，向作出问责决定的{commission}提出书面申诉，"
        f"{commission}于{day}收到申诉。"
    )
    return Scenario("accountability_appeal_decision", "appeals", lead, "作出申诉处理决定")


def _supervision_review(pack: Pack, rng: random.Random, day: str) -> Scenario:
    commission = pack.jurisdiction.commission.name
    sanction = pick(rng, ("警告", "记过", "记大过", "降级"))
    lead = (
        f"一名公职人员对{commission}作出的{sanction}政务处分决定不服，申请复审；"
        f"{commission}于{day}收到复审申请。"
    )
    return Scenario("supervision_review_decision", "appeals", lead, "作出复审决定")


#: the scenes of deadline questions, by name (the date generator of the same name uses it)
SCENES: dict[str, Scene] = {
    "acceptance_notice": _acceptance_notice,
    "report_up": _report_up,
    "forwarded_disposition": _forwarded,
    "petition_acceptance_notice": _petition_notice,
    "petition_close": _petition_close,
    "petition_close_extended": _petition_close_extended,
    "result_feedback": _result_feedback,
    "inquiry_reply": _inquiry_reply,
    "disposal_plan": _disposal_plan,
    "inquiry_report": _inquiry_report,
    "discipline_appeal_close": _discipline_appeal,
    "accountability_appeal_decision": _accountability_appeal,
    "supervision_review_decision": _supervision_review,
}
#: the rule each scene asks about
SCENE_RULES: dict[str, str] = {
    name: "petition_close" if name == "petition_close_extended" else name for name in SCENES
}
#: scenes whose limit counts working days: the single-choice question mixes up days and working days
WORKING_DAY_SCENES = (
    "acceptance_notice",
    "report_up",
    "forwarded_disposition",
    "result_feedback",
    "inquiry_reply",
)


# -- explanations -----------------------------------------------------------------------------------------


def _md(day: date, start: date) -> str:
    return f"{day.month}月{day.day}日" if day.year == start.year else zh_date(day)


def _span_notes(dates: QuizDates, start: date, end: date) -> str:
    """Which weekdays off and which 调休 working weekends lie in ``(start, end]``."""
    off: list[date] = []
    extra: list[date] = []
    day = start + timedelta(days=1)
    while day <= end:
        workday = dates.calendar.is_workday(day)
        if day.weekday() < 5 and not workday:
            off.append(day)
        elif day.weekday() >= 5 and workday:
            extra.append(day)
        day += timedelta(days=1)
    notes = []
    if off:
        notes.append("期间放假不计入的工作日：" + "、".join(_md(d, start) for d in off))
    if extra:
        notes.append(
            "调休上班计入的周末："
            + "、".join(f"{_md(d, start)}(星期{'六日'[d.weekday() - 5]})" for d in extra)
        )
    return "；".join(notes)


def _amount(clock: Clock, amount: int) -> str:
    """``15日``, ``15个工作日``, ``1个月``."""
    return f"{amount}{'个工作日' if clock is Clock.WORKING_DAYS else clock.zh}"


def _raw_end(rule: DeadlineRule, start: date, clock: Clock, amount: int, count_start: bool) -> date:
    """The last day before rolling to a working day (calendar-day and month clocks)."""
    if clock is Clock.CALENDAR_DAYS:
        return start + timedelta(days=amount - 1 if count_start else amount)
    end = WorkCalendar.add_months(start, amount)
    return end - timedelta(days=1) if count_start else end


def _explain_step(
    dates: QuizDates, rule: DeadlineRule, start: date, end: date, clock: Clock, amount: int, count_start: bool
) -> str:
    if clock is Clock.WORKING_DAYS:
        counted = "起算当天计入" if count_start else "起算当天不计入"
        last = zh_date(end, weekday=True)
        text = f"从{zh_date(start)}起数{amount}个工作日({counted})，第{amount}个工作日是{last}"
        notes = _span_notes(dates, start, end)
        return f"{text}。{notes}。" if notes else f"{text}。"
    raw = _raw_end(rule, start, clock, amount, count_start)
    unit = _amount(clock, amount)
    text = f"从{zh_date(start)}起算{unit}，期限届满日是{zh_date(raw, weekday=True)}"
    if not rule.roll_to_workday:
        return f"{text}。"
    if raw != end:
        makeup = "(调休上班)" if end.weekday() >= 5 else ""
        return f"{text}，这天不是工作日，顺延到其后第一个工作日{zh_date(end, weekday=True)}{makeup}。"
    if raw.weekday() >= 5:
        return f"{text}，这天虽是周末，但是调休上班的工作日，不顺延。"
    return f"{text}，是工作日，不需要顺延。"


def _explain(dates: QuizDates, rule: DeadlineRule, start: date, *, extended: bool) -> str:
    parts = [rule.describe() + "。"]
    ext = rule.extension if extended else None
    if ext is None:
        end = dates.due(rule, start)
        parts.append(_explain_step(dates, rule, start, end, rule.clock, rule.amount, rule.count_start_day))
        rolled = rule.clock is not Clock.WORKING_DAYS and end != _raw_end(
            rule, start, rule.clock, rule.amount, rule.count_start_day
        )
    else:
        raw = _raw_end(rule, start, rule.clock, rule.amount, rule.count_start_day)
        end = dates.due(rule, start, extended=True)
        if ext.clock is rule.clock:
            total = f"{rule.amount}+{ext.amount}={_amount(rule.clock, rule.amount + ext.amount)}"
        else:
            total = f"{_amount(rule.clock, rule.amount)}再加{_amount(ext.clock, ext.amount)}"
        parts.append(
            f"从{zh_date(start)}起算{_amount(rule.clock, rule.amount)}，"
            f"原期限本身的最后一天是{zh_date(raw, weekday=True)}。"
            f"延期({ext.needs})最长{_amount(ext.clock, ext.amount)}：延长的是期限本身，"
            f"从原期限的最后一天(不先顺延)接着计算，即自{rule.start.zh}起最长{total}："
        )
        parts.append(_explain_step(dates, rule, raw, end, ext.clock, ext.amount, False))
        rolled = ext.clock is not Clock.WORKING_DAYS and end != _raw_end(
            rule, raw, ext.clock, ext.amount, False
        )
    if rolled:
        parts.append("期限末日逢节假日顺延，是按期间计算的一般规则(《民法典》第二百零三条)类推掌握的。")
    if rule.note:
        parts.append(f"(规则要点：{rule.note})")
    return "".join(parts)


def _source(rule: DeadlineRule) -> str:
    if rule.basis is Basis.TRAINING:
        return f"{rule.source}；本训练包的简化做法，不是规定原文：本训练包 rules.yaml {rule.code}"
    return f"{rule.source}；本训练包 rules.yaml {rule.code}"


def _rule(pack: Pack, code: str) -> DeadlineRule:
    try:
        return pack.rules.deadline(code)
    except PackError:
        raise GenerationError(
            f"the pack {pack.ref} has no deadline rule {code!r} for this question"
        ) from None


# -- the generators ---------------------------------------------------------------------------------------


def _date_question(pack: Pack, dates: QuizDates, rng: random.Random, scene: str) -> Question:
    start = dates.draw(rng)
    s = SCENES[scene](pack, rng, zh_date(start, weekday=True))
    rule = _rule(pack, s.rule)
    due = dates.due(rule, start, extended=s.extended)
    return Question(
        id="",
        kind=QuestionKind.DATE,
        stem=s.lead + s.ask(rule),
        options=(),
        answer=(due.isoformat(),),
        source=_source(rule),
        explanation=_explain(dates, rule, start, extended=s.extended),
        topic=s.topic,
    )


#: the date fill-in generators (one per scene of :data:`SCENES`) and what each asks for
DATE_GENERATORS: dict[str, str] = {
    "acceptance_notice": "a real-name accusation received on D: tell the reporter whether accepted by?",
    "report_up": "an accusation about a cadre the level above manages, received on D: send it up by?",
    "forwarded_disposition": "an item forwarded from above, received on D: accept or pass it on by?",
    "petition_acceptance_notice": (
        "a real-name suggestion forwarded by the level above, received on D: tell the petitioner it was "
        "received, and how it will be handled, by?"
    ),
    "petition_close": "an out-of-scope letter sent to its department on D: the department closes it by?",
    "petition_close_extended": (
        "an out-of-scope letter sent on D, its handling extended to the maximum: the department closes it by?"
    ),
    "result_feedback": "a real-name accusation closed on D: feed the result back by?",
    "inquiry_reply": "an inquiry letter received on D: written explanation by?",
    "disposal_plan": "a lead received on D: propose its disposal by?",
    "inquiry_report": "a talk ended (or an inquiry answered) on D: report and propose by?",
    "discipline_appeal_close": "an appeal against Party discipline accepted on D: close the review by?",
    "accountability_appeal_decision": "an accountability appeal received on D: decide it by?",
    "supervision_review_decision": "a request for a supervision review received on D: decide it by?",
}


def _date_generator(scene: str, doc: str) -> Generator:
    def generate(pack: Pack, dates: QuizDates, rng: random.Random) -> Question:
        return _date_question(pack, dates, rng, scene)

    generate.__name__ = scene
    generate.__doc__ = doc
    return generate


for _scene, _doc in DATE_GENERATORS.items():
    register(_scene)(_date_generator(_scene, _doc))


def _shuffled(rng: random.Random, items: Sequence[date]) -> list[date]:
    """Fisher–Yates with one ``rng.random()`` per swap."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = between(rng, 0, i + 1)
        out[i], out[j] = out[j], out[i]
    return out


@register("last_day_choice", QuestionKind.SINGLE)
def last_day_choice(pack: Pack, dates: QuizDates, rng: random.Random) -> Question:
    """Single choice: which of four dates is the last day of a working-day limit.

    The distractors are the day before and after (in working days) and the day a learner gets by counting
    the working days as calendar days; where two coincide, two working days off or counting the start day.
    """
    scenes = [s for s in WORKING_DAY_SCENES if _has_working_rule(pack, s)]
    if not scenes:
        raise GenerationError(f"the pack {pack.ref} has no working-day deadline for a last-day question")
    scene = pick(rng, scenes)
    start = dates.draw(rng)
    s = SCENES[scene](pack, rng, zh_date(start, weekday=True))
    rule = _rule(pack, s.rule)
    due = dates.due(rule, start)
    as_days = start + timedelta(days=rule.amount)
    candidates = [
        dates.shift(due, -1),
        dates.shift(due, 1),
        as_days,
        dates.shift(due, 2),
        dates.shift(start, rule.amount - 1),
        dates.shift(due, -2),
        dates.shift(due, 3),
    ]
    distractors: list[date] = []
    for d in candidates:
        if d != due and d > start and d not in distractors:
            distractors.append(d)
    options = _shuffled(rng, [due, *distractors[:3]])
    letter = LETTERS[options.index(due)]
    mistake = (
        f"{zh_date(as_days)}是把{rule.amount}个工作日当成{rule.amount}日算出的日期；"
        if as_days in distractors[:3]
        else ""
    )
    explanation = (
        _explain(dates, rule, start, extended=False)
        + f"干扰项：{mistake}其余日期与正确答案相差一两个工作日(提前或者逾期)。"
    )
    return Question(
        id="",
        kind=QuestionKind.SINGLE,
        stem=s.lead + f"下列日期中，哪一天是{s.done}的最后期限？",
        options=tuple(zh_date(d, weekday=True) for d in options),
        answer=(letter,),
        source=_source(rule),
        explanation=explanation,
        topic="time_limits",
    )


def _has_working_rule(pack: Pack, scene: str) -> bool:
    try:
        return pack.rules.deadline(SCENE_RULES[scene]).clock is Clock.WORKING_DAYS
    except PackError:
        return False


#: working-day offsets from the last day at which the act is done in the true/false question
IN_TIME_OFFSETS = (-3, -1, 0, 0, 1, 2)


@register("in_time", QuestionKind.TRUE_FALSE)
def in_time(pack: Pack, dates: QuizDates, rng: random.Random) -> Question:
    """True or false: an item received (accepted, closed …) on D and handled on D2 was handled in time."""
    scene = pick(rng, tuple(SCENES))
    start = dates.draw(rng)
    s = SCENES[scene](pack, rng, zh_date(start, weekday=True))
    rule = _rule(pack, s.rule)
    due = dates.due(rule, start, extended=s.extended)
    done = dates.shift(due, pick(rng, IN_TIME_OFFSETS))
    if done <= start:
        done = due
    in_time_ = done <= due
    verdict = (
        f"{zh_date(done)}不晚于最后期限{zh_date(due)}，符合时限要求。"
        if in_time_
        else f"{zh_date(done)}已超过最后期限{zh_date(due)}，属于超期办理。"
    )
    return Question(
        id="",
        kind=QuestionKind.TRUE_FALSE,
        stem=s.lead
        + f"{s.who}实际于{zh_date(done, weekday=True)}{s.done}。判断：{_by(rule)}，这没有超过期限。",
        options=(),
        answer=("true" if in_time_ else "false",),
        source=_source(rule),
        explanation=verdict + _explain(dates, rule, start, extended=s.extended),
        topic=s.topic,
    )


# -- making questions -------------------------------------------------------------------------------------


def _question_id(pack: Pack, seed: int, key: str) -> str:
    return "g-" + hashlib.sha256(f"{pack.ref}|{seed}|{key}".encode()).hexdigest()[:12]


def _make(pack: Pack, name: str, rng: random.Random) -> Question:
    dates = dates_for(pack)
    for _ in range(ATTEMPTS - 1):
        try:
            return GENERATORS[name](pack, dates, rng)
        except CalendarRangeError:
            continue  # the rng has moved on: the next draw is another date
    return GENERATORS[name](pack, dates, rng)


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise GenerationError(f"the seed must be a whole number ≥ 0, got {seed!r}")


def generate_question(pack: Pack, generator: str, seed: int) -> Question:
    """One question of ``generator`` made with ``seed`` (the same for the same pack version and seed).

    Another seed gives a variant of equal difficulty: the same rule and question form, another date.

    Raises
    ------
    GenerationError
        For an unknown generator, a negative seed, or a pack without the rule the generator needs.
    """
    _check_seed(seed)
    if generator not in GENERATORS:
        raise GenerationError(f"no quiz generator {generator!r}; known: {', '.join(GENERATORS)}")
    rng = random.Random(f"{pack.ref}|{seed}|quiz|{generator}")
    question = _make(pack, generator, rng)
    return replace(question, id=_question_id(pack, seed, generator), seed=seed, pack=pack.ref)


def generate_questions(
    pack: Pack, seed: int, count: int, *, kinds: Sequence[str] | None = None
) -> tuple[Question, ...]:
    """``count`` generated questions, the same for the same (pack version, seed, count).

    Generators take turns in an order shuffled by the seed, so a set covers every generator evenly; question
    ``i`` draws from its own ``random.Random`` seeded by (pack, seed, i).

    Parameters
    ----------
    kinds
        Question kinds to make (``"date"``, ``"single"``, ``"true_false"``); all by default.

    Raises
    ------
    GenerationError
        For a negative seed or count, an unknown kind, or kinds no generator makes.
    """
    _check_seed(seed)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise GenerationError(f"the count must be a whole number ≥ 0, got {count!r}")
    wanted = set(QuestionKind) if kinds is None else set()
    for kind in kinds or ():
        try:
            wanted.add(QuestionKind.parse(kind))
        except ValueError as exc:
            raise GenerationError(str(exc)) from None
    names = [n for n in GENERATORS if GENERATOR_KINDS[n] in wanted]
    if not names:
        made = ", ".join(sorted({k.value for k in GENERATOR_KINDS.values()}))
        raise GenerationError(
            f"no quiz generator makes {', '.join(sorted(wanted))} questions; they make: {made}"
        )
    order = random.Random(f"{pack.ref}|{seed}|quiz-order")
    turns = [names.pop(between(order, 0, len(names))) for _ in range(len(names))]
    questions = []
    for i in range(count):
        rng = random.Random(f"{pack.ref}|{seed}|quiz|{i}")
        question = _make(pack, turns[i % len(turns)], rng)
        questions.append(replace(question, id=_question_id(pack, seed, str(i)), seed=seed, pack=pack.ref))
    return tuple(questions)
