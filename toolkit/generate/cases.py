"""Seeded intake-case generator.

A case is built by a fixed list of small steps (:data:`STEPS`), each reading and filling a :class:`Draft`.
Each case draws from its own ``random.Random`` seeded by ``(pack, seed, index)``, so any case can be
regenerated alone and the output is the same on every machine and in every process. Nothing depends on
today's date: received dates come from the pack's window.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from itertools import accumulate
from typing import Any

from toolkit.domain.codes import (
    Category,
    Channel,
    Disposal,
    Flag,
    Level,
    ManagementLevel,
    RouteAction,
    StartEvent,
)
from toolkit.domain.models import (
    Cadre,
    Case,
    Material,
    Person,
    RegisteredAccused,
    RegisteredReporter,
    Reporter,
    Route,
    Truth,
    Turn,
)
from toolkit.errors import GenerationError
from toolkit.generate.draw import between, pick, weighted
from toolkit.packs.model import Pack, ProblemType
from toolkit.rules.deadlines import DeadlineRule

CHINA_TZ = timezone(timedelta(hours=8))
#: problem_type recorded for items without particulars: nothing in them says which problem it is
UNSPECIFIED = "unspecified"
OFFICE_HOURS = ((8 * 60 + 30, 11 * 60 + 45), (14 * 60 + 30, 17 * 60 + 30))


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """An earlier item, for repeats and 查重: what the office knows of it."""

    id: str
    received: date
    closed: date | None
    channel: Channel
    category: Category
    problem: ProblemType
    accused: Cadre | None
    person: Person | None
    flags: tuple[Flag, ...]
    route: Route
    summary: str


@dataclass(slots=True)
class Draft:
    """Scratch state of one case while the steps run."""

    index: int
    level: Level
    rng: random.Random
    window: tuple[date, date]
    channel: Channel = Channel.LETTER
    category: Category = Category.ACCUSATION
    problem: ProblemType | None = None
    accused: Cadre | None = None
    person: Person | None = None
    anonymous: bool = False
    repeat_of: HistoryRecord | None = None
    no_substance: bool = False
    impersonation: bool = False
    specificity: str = "specific"
    temperament: str = ""
    received: datetime = datetime(2000, 1, 1, tzinfo=CHINA_TZ)
    slots: dict[str, Any] = field(default_factory=dict)
    facts: str = ""
    truth: Truth | None = None
    material: Material | None = None


class Tables:
    """Everything precomputed once per pack so each case costs little."""

    def __init__(self, pack: Pack) -> None:
        from toolkit.generate.people import PeopleMaker

        self.pack = pack
        self.people = PeopleMaker(pack)
        mix = pack.mix
        self.channels = tuple(Channel(k) for k in mix.channel)
        self.channel_cum = tuple(accumulate(mix.channel.values()))
        self.categories = tuple(Category(k) for k in mix.category)
        self.category_cum = tuple(accumulate(mix.category.values()))
        self.by_category: dict[Category, tuple[ProblemType, ...]] = {}
        for cat in Category:
            self.by_category[cat] = tuple(p for p in pack.problems if p.category is cat)
        kinds = pack.jurisdiction.workplace_kinds()
        self.eligible: dict[str, tuple[Cadre, ...]] = {
            p.code: tuple(
                c
                for c in pack.cadres
                if c.level in p.accused_levels and kinds[c.unit] in p.accused_unit_kinds
            )
            for p in pack.problems
        }
        self.eligible_local = {
            code: tuple(c for c in pool if c.level is not ManagementLevel.CITY)
            for code, pool in self.eligible.items()
        }
        counts: dict[tuple[str, str], int] = {}
        for c in pack.cadres:
            counts[(c.unit, c.name[0])] = counts.get((c.unit, c.name[0]), 0) + 1
        self.surname_unique = frozenset(k for k, n in counts.items() if n == 1)
        self.villages_by_town = {t.code: t.villages for t in pack.jurisdiction.towns}
        self.village_names = {v.code: v.name for v in pack.jurisdiction.villages()}
        self._next_workday: dict[date, date] = {}
        self._due: dict[tuple[str, date], date] = {}
        self._applicable: dict[
            tuple[Category, tuple[Flag, ...], RouteAction, Channel], tuple[DeadlineRule, ...]
        ] = {}
        self.intake_rules = intake_rules(pack)
        self.temperaments = tuple(t.code for t in pack.temperaments)
        self.window_days = (pack.received_window[1] - pack.received_window[0]).days
        j = pack.jurisdiction
        self.base_slots = {
            "district": j.district,
            "city": j.city,
            "commission": j.commission.name,
            "superior": j.superior.name,
        }

    def next_workday(self, day: date) -> date:
        """Memoised ``calendar.next_workday``: received dates repeat across a batch."""
        hit = self._next_workday.get(day)
        if hit is None:
            hit = self._next_workday[day] = self.pack.calendar.next_workday(day)
        return hit

    def due(self, rule: DeadlineRule, day: date) -> date:
        """Memoised ``rule.due(day)``."""
        key = (rule.code, day)
        hit = self._due.get(key)
        if hit is None:
            hit = self._due[key] = rule.due(day, self.pack.calendar)
        return hit

    def applicable(
        self, category: Category, flags: Sequence[Flag], action: RouteAction, channel: Channel
    ) -> tuple[DeadlineRule, ...]:
        """The intake deadlines that apply to an item of this shape (memoised: shapes repeat)."""
        key = (category, tuple(flags), action, channel)
        hit = self._applicable.get(key)
        if hit is None:
            hit = self._applicable[key] = tuple(
                rule
                for rule in self.intake_rules
                if rule.applies.matches(category=category, flags=flags, action=action, channel=channel)
            )
        return hit

    def town_name(self, code: str | None) -> str:
        return self.pack.jurisdiction.name(code) if code else ""


def case_rng(pack: Pack, seed: int, index: int, stream: str = "case") -> random.Random:
    """The random source of one item: independent of every other item and of the process."""
    return random.Random(f"{pack.ref}|{seed}|{stream}|{index}")


# -- steps ----------------------------------------------------------------------------------------

Step = Callable[[Tables, Draft, Sequence[HistoryRecord]], None]


def choose_shape(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """Channel, category and the special kinds: repeat, no substance, impersonation, anonymous."""
    rng, mix = d.rng, t.pack.mix
    d.channel = weighted(rng, t.channels, t.channel_cum)
    d.temperament = pick(rng, t.temperaments)
    if history and rng.random() < mix.repeat:
        d.repeat_of = pick(rng, history)
        d.category = d.repeat_of.category
        d.anonymous = d.repeat_of.person is None
        d.specificity = "specific"
        return
    d.category = weighted(rng, t.categories, t.category_cum)
    written = d.channel in (Channel.LETTER, Channel.ONLINE, Channel.FORWARDED)
    if d.category is Category.ACCUSATION:
        d.no_substance = rng.random() < mix.no_substance
        d.impersonation = written and not d.no_substance and rng.random() < mix.impersonation
        d.specificity = "vague" if d.no_substance or rng.random() < mix.vague else "specific"
    else:
        d.specificity = "vague" if rng.random() < mix.vague else "specific"
    if d.category in (Category.ACCUSATION, Category.SUGGESTION) and not d.impersonation:
        d.anonymous = rng.random() < mix.anonymous
    elif d.category is Category.OUT_OF_SCOPE:
        d.anonymous = rng.random() < mix.anonymous / 4


def choose_problem(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    if d.repeat_of is not None:
        d.problem = d.repeat_of.problem
        return
    choices = t.by_category[d.category]
    if not choices:
        raise GenerationError(f"pack {t.pack.ref} has no problem type of category {d.category.value}")
    d.problem = pick(d.rng, choices)


def choose_accused(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    assert d.problem is not None
    if d.repeat_of is not None:
        d.accused = d.repeat_of.accused
    elif d.problem.category is Category.ACCUSATION:
        pool = t.eligible[d.problem.code]
        if d.channel is Channel.FORWARDED:
            # the level above forwards items within this commission's authority
            pool = t.eligible_local[d.problem.code] or pool
        d.accused = pick(d.rng, pool)
    if d.channel is Channel.FORWARDED and d.accused is not None and d.accused.level is ManagementLevel.CITY:
        d.channel = Channel.LETTER


def choose_reporter(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """Who writes or comes: locals report on town and village cadres; a repeat is the same person."""
    if d.repeat_of is not None:
        d.person = d.repeat_of.person
        return
    village = None
    if d.accused is not None and d.accused.town is not None and d.rng.random() < 0.85:
        village = pick(d.rng, t.villages_by_town[d.accused.town])
    if d.anonymous:
        # nobody is named, but the item still comes from somewhere
        home = village or pick(d.rng, t.people.villages)
        d.slots["home_town"] = home.town
        d.slots["home_village"] = home.code
        return
    d.person = t.people.person(d.rng, t.pack.received_window[0], village)


def choose_received(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """Received date in the window; offices receive letters, visits and calls on working days only."""
    rng = d.rng
    start = d.window[0]
    day = start + timedelta(days=between(rng, 0, (d.window[1] - start).days + 1))
    if d.repeat_of is not None and day <= d.repeat_of.received:
        day = d.repeat_of.received + timedelta(days=30)
    if d.channel is Channel.ONLINE:
        minute = between(rng, 0, 24 * 60)
    else:
        day = t.next_workday(day)
        lo, hi = OFFICE_HOURS[between(rng, 0, 2)]
        minute = between(rng, lo, hi)
    d.received = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=CHINA_TZ)


def fill_slots(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """Values for every template slot: places, people, when it happened, amounts, the problem's vars."""
    rng, p = d.rng, d.problem
    assert p is not None
    s = d.slots
    s.update(t.base_slots)
    home_town = d.person.town if d.person else s.get("home_town")
    home_village = d.person.village if d.person else s.get("home_village")
    accused = d.accused
    town = accused.town if accused is not None and accused.town else home_town
    s["town"] = t.town_name(town)
    village_code = (
        home_village if home_village and t.pack.jurisdiction.town_of(home_village) == town else None
    )
    if village_code is None and town:
        village_code = pick(rng, t.villages_by_town[town]).code
    s["village"] = _short_village(t, village_code)
    s["reporter_name"] = d.person.name if d.person else ""
    s["reporter_phone"] = d.person.phone if d.person else ""
    s["reporter_address"] = d.person.address if d.person else ""
    s["problem_name"] = p.name
    # what is reported happened at least a month before it arrived (and before any letter about it)
    when = d.received.date() - timedelta(days=between(rng, 30, 420))
    s["year"], s["month"], s["day"] = when.year, when.month, when.day
    if p.amount is not None:
        lo, hi, step = p.amount
        s["amount"] = lo + step * between(rng, 0, (hi - lo) // step + 1)
    for key, values in p.vars.items():
        s[key] = pick(rng, values)
    if accused is not None:
        s["accused_surname"] = accused.name[0]
        s["accused_unit_name"] = accused.unit_name
        s["accused_town"] = t.town_name(accused.town) if accused.town else t.pack.jurisdiction.district
        s["accused_post"] = accused.post
        s["accused_name"] = accused.name
        if d.level is Level.HARD and (accused.unit, accused.name[0]) in t.surname_unique:
            # hard material names the accused only by unit and surname: the roster tells who it is
            s["accused_post"] = ""
            s["accused_name"] = f"{accused.name[0]}某"
    else:
        for key in ("accused_surname", "accused_unit_name", "accused_town", "accused_post", "accused_name"):
            s[key] = ""
    if d.repeat_of is not None:
        s["prev_year"], s["prev_month"] = d.repeat_of.received.year, d.repeat_of.received.month


def write_facts(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    assert d.problem is not None
    if d.no_substance:
        template = pick(d.rng, t.pack.framing["no_substance"])
    else:
        matching = [f for f in d.problem.facts if f.specificity == d.specificity] or list(d.problem.facts)
        template = pick(d.rng, matching).text
    d.facts = template.format_map(d.slots)


def decide_truth(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """The answer key: category, flags, route by management authority, disposal, due dates."""
    p = d.problem
    assert p is not None
    flags: list[Flag] = []
    if d.impersonation:
        flags.append(Flag.IMPERSONATION)
    elif d.person is not None:
        flags.append(Flag.REAL_NAME)
    else:
        flags.append(Flag.ANONYMOUS)
    if d.repeat_of is not None:
        flags.append(Flag.REPEAT)
    if d.no_substance:
        flags.append(Flag.NO_SUBSTANCE)
    route = route_for(t.pack, p, d.accused, repeat=d.repeat_of is not None, no_substance=d.no_substance)
    disposal: Disposal | None = None
    if p.category is Category.ACCUSATION and route.action is RouteAction.SELF and p.disposal is not None:
        disposal = p.disposal[d.specificity]
    received = d.received.date()
    due = tuple(
        (rule.code, t.due(rule, received))
        for rule in t.applicable(d.category, flags, route.action, d.channel)
    )
    d.truth = Truth(
        category=d.category,
        flags=tuple(flags),
        problem_type=UNSPECIFIED if d.no_substance else p.code,
        route=route,
        disposal=disposal,
        due=due,
        repeat_of=d.repeat_of.id if d.repeat_of is not None else None,
        specificity=d.specificity,
        reporter=(
            RegisteredReporter(d.person.name, d.person.phone)
            if d.person is not None
            else RegisteredReporter()
        ),
        accused=(
            (RegisteredAccused(d.accused.name, d.accused.post, d.accused.unit, d.accused.level),)
            if d.accused is not None
            else ()
        ),
    )


def route_for(
    pack: Pack,
    problem: ProblemType,
    accused: Cadre | None,
    *,
    repeat: bool = False,
    no_substance: bool = False,
) -> Route:
    """Where an item goes, following management authority and the pack's routing table."""
    routing, j = pack.rules.routing, pack.jurisdiction
    if repeat or no_substance:
        rule = routing["file"]
        return Route(RouteAction.FILE, rule.unit or j.office_by_role("petitions").code)
    if problem.category is Category.OUT_OF_SCOPE:
        rule = routing["out_of_scope"]
        return Route(RouteAction.TRANSFER, problem.handler or "", rule.copy_to)
    if problem.category is not Category.ACCUSATION:
        return Route(RouteAction.SELF, problem.handler or "")
    if accused is None:
        raise GenerationError(f"an accusation of type {problem.code} needs an accused person")
    rule = routing[accused.level.value]
    if rule.action is RouteAction.REPORT_UP:
        return Route(RouteAction.REPORT_UP, rule.unit or j.superior.code)
    if rule.action is RouteAction.ASSIGN:
        if accused.town is None:
            raise GenerationError(f"{accused.name} ({accused.level.value}) has no town to assign to")
        return Route(RouteAction.ASSIGN, rule.unit or j.town(accused.town).commission.code)
    return Route(rule.action, rule.unit or j.supervising_office(accused.unit))


def compose_material(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    d.material = COMPOSERS[d.channel](t, d)


#: the order the steps run in, declared once
STEPS: tuple[Step, ...] = (
    choose_shape,
    choose_problem,
    choose_accused,
    choose_reporter,
    choose_received,
    fill_slots,
    write_facts,
    decide_truth,
    compose_material,
)


# -- material per channel -------------------------------------------------------------------------


def _pick(d: Draft, options: Sequence[str]) -> str:
    return pick(d.rng, options).format_map(d.slots) if options else ""


def _by_level(d: Draft, table: Mapping[str, Sequence[str]]) -> Sequence[str]:
    return table.get(d.level.value, ())


def _noise(t: Tables, d: Draft) -> list[str]:
    noise = t.pack.framing["noise"]
    if d.level is Level.MEDIUM:
        return [_pick(d, noise["medium"])]
    if d.level is Level.HARD:
        lines = noise["hard"]
        chosen = d.rng.sample(lines, min(len(lines), between(d.rng, 2, 4)))
        return [line.format_map(d.slots) for line in chosen]
    return []


def _repeat_hint(t: Tables, d: Draft) -> str:
    if d.repeat_of is None:
        return ""
    return _pick(d, _by_level(d, t.pack.framing["repeat_hint"]))


def _signature(t: Tables, d: Draft) -> str:
    letter = t.pack.framing["letter"]
    if d.person is not None:
        return _pick(d, letter["signature_real"])
    return _pick(d, letter["signature_anonymous"])


def _impersonation_notes(t: Tables, d: Draft) -> tuple[str, ...]:
    if not d.impersonation:
        return ()
    return (_pick(d, _by_level(d, t.pack.framing["impersonation_note"])),)


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _letter_body(t: Tables, d: Draft, written: date | None = None) -> str:
    """A letter: salutation, paragraphs, signature and the day it was written (before it arrived)."""
    letter = t.pack.framing["letter"]
    paragraphs = [_pick(d, _by_level(d, letter["opening"])), d.facts]
    hint = _repeat_hint(t, d)
    if hint:
        paragraphs.append(hint)
    noise = _noise(t, d)
    if noise:
        # hard letters bury the facts among other matters
        at = between(d.rng, 0, len(paragraphs) + 1) if d.level is Level.HARD else len(paragraphs)
        paragraphs[at:at] = noise
    paragraphs.append(_pick(d, _by_level(d, letter["closing"])))
    lines = [_pick(d, letter["salutation"])]
    lines.extend("    " + p for p in paragraphs if p)
    lines.append(_signature(t, d))
    lines.append(_cn_date(written or d.received.date() - timedelta(days=between(d.rng, 2, 9))))
    return "\n".join(lines)


def _compose_letter(t: Tables, d: Draft) -> Material:
    return Material(
        kind=Channel.LETTER,
        title=f"来信({_cn_date(d.received.date())}收到)",
        text=_letter_body(t, d),
        notes=_impersonation_notes(t, d),
    )


def _compose_online(t: Tables, d: Draft) -> Material:
    s = d.slots
    title = (
        _pick(d, t.pack.framing["online"]["title"])
        if d.accused is not None
        else f"关于{s['problem_name']}的反映"
    )
    content = [d.facts]
    hint = _repeat_hint(t, d)
    if hint:
        content.append(hint)
    content.extend(_noise(t, d))
    person = d.person
    form: list[tuple[str, str]] = [
        ("提交时间", d.received.strftime("%Y-%m-%d %H:%M")),
        ("举报方式", "实名" if person is not None else "匿名"),
        ("姓名", person.name if person else ""),
        ("联系电话", person.phone if person else ""),
        ("身份证号", person.id_number if person else ""),
        ("现住址", person.address if person else ""),
    ]
    if d.accused is not None:
        named = s["accused_name"]
        if d.level is Level.HARD and named.endswith("某"):
            named = _pick(d, t.pack.framing["vague_accused"]["hard"])
        form += [("被反映人", named), ("被反映人单位", s["accused_unit_name"]), ("职务", s["accused_post"])]
    form += [("标题", title), ("主要问题", "\n".join(content))]
    return Material(
        kind=Channel.ONLINE,
        title=f"网络举报:{title}",
        text="\n".join(content),
        form=tuple(form),
        notes=_impersonation_notes(t, d),
    )


def _compose_forwarded(t: Tables, d: Draft) -> Material:
    j = t.pack.jurisdiction
    fwd = t.pack.framing["forwarded"]
    day = d.received.date()
    sent = t.pack.calendar.add_working_days(day, -between(d.rng, 1, 4))
    slip = (
        ("转送机关", j.superior.name),
        ("文号", f"转〔{day.year}〕{between(d.rng, 10, 990)}号"),
        ("转送日期", _cn_date(sent)),
        ("签收日期", _cn_date(day)),
        ("原件形式", "来信"),
        ("处理要求", _pick(d, fwd["instruction"])),
    )
    return Material(
        kind=Channel.FORWARDED,
        title=_pick(d, fwd["slip_title"]),
        text=_letter_body(t, d, written=sent - timedelta(days=between(d.rng, 3, 15))),
        slip=slip,
        notes=_impersonation_notes(t, d),
    )


def _compose_talk(t: Tables, d: Draft) -> Material:
    """A visit or call: stages in the pack's order, officer's model line then the visitor's."""
    talk = "visit" if d.channel is Channel.VISIT else "phone"
    slots = d.slots
    slots["facts"] = d.facts
    turns: list[Turn] = []
    rnd = d.rng.random  # the same draws as pick(), without a call per line
    for stage in t.pack.stages:
        lines = stage.officer[talk]
        turns.append(Turn("officer", stage.code, lines[int(rnd() * len(lines))].format_map(slots)))
        lines = stage.visitor[d.temperament]
        if stage.code == "identity" and d.person is None and "anonymous" in stage.visitor:
            lines = stage.visitor["anonymous"]
        turns.append(Turn("visitor", stage.code, lines[int(rnd() * len(lines))].format_map(slots)))
        if stage.code == "details":
            turns.extend(Turn("visitor", stage.code, line) for line in _noise(t, d))
        if stage.code == "demand":
            hint = _repeat_hint(t, d)
            if hint:
                turns.append(Turn("visitor", stage.code, hint))
    kind = Channel.VISIT if talk == "visit" else Channel.PHONE
    title = f"{'来访' if talk == 'visit' else '来电'}({d.received:%Y-%m-%d %H:%M})"
    return Material(kind=kind, title=title, text="", dialogue=tuple(turns))


COMPOSERS: dict[Channel, Callable[[Tables, Draft], Material]] = {
    Channel.LETTER: _compose_letter,
    Channel.ONLINE: _compose_online,
    Channel.FORWARDED: _compose_forwarded,
    Channel.VISIT: _compose_talk,
    Channel.PHONE: _compose_talk,
}


def _short_village(t: Tables, code: str | None) -> str:
    return t.village_names.get(code, "") if code else ""


# -- the public API -------------------------------------------------------------------------------


class CaseGenerator:
    """Generates cases for one pack; build once, call many times."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.tables = Tables(pack)
        self._history: dict[int, tuple[HistoryRecord, ...]] = {}

    def history(self, seed: int) -> tuple[HistoryRecord, ...]:
        """The history ledger that goes with ``seed`` (made once, then reused)."""
        if seed not in self._history:
            from toolkit.generate.history import make_history

            self._history[seed] = make_history(self, seed)
        return self._history[seed]

    def draft(
        self,
        seed: int,
        index: int,
        level: Level,
        *,
        window: tuple[date, date] | None = None,
        history: Sequence[HistoryRecord] = (),
        steps: Sequence[Step] = STEPS,
        stream: str = "case",
    ) -> Draft:
        """Run ``steps`` for one item and return the filled draft."""
        d = Draft(
            index=index,
            level=level,
            rng=case_rng(self.pack, seed, index, stream),
            window=window or self.pack.received_window,
        )
        for step in steps:
            step(self.tables, d, history)
        return d

    def case(self, seed: int, index: int, level: Level) -> Case:
        """Case ``index`` of the batch made with ``seed`` at ``level``."""
        if seed < 0:
            raise GenerationError(f"the seed must be a whole number ≥ 0, got {seed}")
        d = self.draft(seed, index, level, history=self.history(seed))
        assert d.truth is not None and d.material is not None
        if d.person is None:
            reporter = Reporter.anonymous()
        else:
            # an impersonated item carries a real person's particulars, but that person did not send it
            reporter = Reporter.from_person(d.person, real_name=not d.impersonation)
        return Case(
            id=f"{self.pack.name}-{seed}-{index:06d}",
            seed=seed,
            index=index,
            pack=self.pack.ref,
            level=level,
            channel=d.channel,
            received_at=d.received,
            reporter=reporter,
            accused=(d.accused,) if d.accused is not None else (),
            material=d.material,
            truth=d.truth,
        )

    def cases(self, seed: int, count: int, level: Level | None = None, start: int = 0) -> Iterator[Case]:
        """``count`` cases from index ``start``; with ``level`` None the levels rotate easy→medium→hard."""
        if count < 0:
            raise GenerationError(f"count must be ≥ 0, got {count}")
        levels = tuple(Level)
        for index in range(start, start + count):
            yield self.case(seed, index, level or levels[index % 3])


def intake_rules(pack: Pack) -> tuple[DeadlineRule, ...]:
    """The deadlines that run from receipt, i.e. those an intake officer sets."""
    return tuple(r for r in pack.rules.deadlines if r.start is StartEvent.RECEIVED)
