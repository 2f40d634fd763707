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
from toolkit.generate.routing import Routed, route_for
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
    #: the fact template and the values it was written with, so that a repeat restates the same matter
    template: str = ""
    fact_slots: Mapping[str, Any] = field(default_factory=dict)
    specificity: str = "specific"

    def to_dict(self, pack: Pack) -> dict[str, Any]:
        """What 查重 searches, as JSON: when and how it came, who wrote, whom and what it was about."""
        accused = (
            [{"name": self.accused.name, "unit": self.accused.unit, "unit_name": self.accused.unit_name}]
            if self.accused is not None
            else []
        )
        return {
            "id": self.id,
            "pack": pack.ref,
            "received_at": self.received.isoformat(),
            "channel": self.channel.value,
            "reporter_name": self.person.name if self.person is not None else None,
            "accused": accused,
            "problem_type": self.problem.code,
            "summary": self.summary,
        }


#: the slots that make up what a fact says (when, how much, the problem's particulars); a repeat keeps them
FACT_SLOTS = ("year", "month", "day", "amount")


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
    #: an earlier item by the same person about the same cadre that this new lead adds to
    related: HistoryRecord | None = None
    #: what a new lead adds: "facts" (another matter) or "evidence" (new evidence on the same matter)
    novelty: str = ""
    no_substance: bool = False
    impersonation: bool = False
    specificity: str = "specific"
    temperament: str = ""
    received: datetime = datetime(2000, 1, 1, tzinfo=CHINA_TZ)
    slots: dict[str, Any] = field(default_factory=dict)
    facts: str = ""
    template: str = ""
    #: the sum the item reports (None when its facts name none)
    amount: int | None = None
    routed: Routed | None = None
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
        self.unverifiable = tuple(
            p
            for p in self.by_category[Category.ACCUSATION]
            if any(f.specificity == "unverifiable" for f in p.facts)
        )
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
        weight = pack.mix.accused_level
        self.eligible_cum = {
            code: tuple(accumulate(weight.get(c.level.value, 1.0) for c in pool))
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
            tuple[Category, tuple[Flag, ...], RouteAction, Channel, str], tuple[DeadlineRule, ...]
        ] = {}
        self.intake_rules = pack.rules.intake_deadlines()
        self._repeatable: dict[
            tuple[int, bool], tuple[Sequence[HistoryRecord], tuple[HistoryRecord, ...]]
        ] = {}
        self._followable: dict[int, tuple[Sequence[HistoryRecord], tuple[HistoryRecord, ...]]] = {}
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
        self,
        category: Category,
        flags: Sequence[Flag],
        action: RouteAction,
        channel: Channel,
        problem: str = "",
    ) -> tuple[DeadlineRule, ...]:
        """The intake deadlines that apply to an item of this shape (memoised: shapes repeat)."""
        key = (category, tuple(flags), action, channel, problem)
        hit = self._applicable.get(key)
        if hit is None:
            hit = self._applicable[key] = tuple(
                rule
                for rule in self.intake_rules
                if rule.applies.matches(
                    category=category, flags=flags, action=action, channel=channel, problem=problem
                )
            )
        return hit

    def repeatable(self, history: Sequence[HistoryRecord], forwarded: bool) -> tuple[HistoryRecord, ...]:
        """Earlier accusations a repeat can restate; the level above forwards none about its own cadres."""
        key = (id(history), forwarded)
        hit = self._repeatable.get(key)
        if hit is None or hit[0] is not history:
            pool = tuple(
                h
                for h in history
                if h.category is Category.ACCUSATION
                and h.accused is not None
                and Flag.NO_SUBSTANCE not in h.flags
                and Flag.IMPERSONATION not in h.flags
                and not (forwarded and h.accused.level is ManagementLevel.CITY)
            )
            hit = self._repeatable[key] = (history, pool)
        return hit[1]

    def followable(self, history: Sequence[HistoryRecord]) -> tuple[HistoryRecord, ...]:
        """Earlier accusations by a named reporter, which the same person can follow with a new lead."""
        hit = self._followable.get(id(history))
        if hit is None or hit[0] is not history:
            pool = tuple(h for h in self.repeatable(history, False) if Flag.REAL_NAME in h.flags)
            hit = self._followable[id(history)] = (history, pool)
        return hit[1]

    def town_name(self, code: str | None) -> str:
        return self.pack.jurisdiction.name(code) if code else ""


def case_rng(pack: Pack, seed: int, index: int, stream: str = "case") -> random.Random:
    """The random source of one item: independent of every other item and of the process."""
    return random.Random(f"{pack.ref}|{seed}|{stream}|{index}")


# -- steps ----------------------------------------------------------------------------------------

Step = Callable[[Tables, Draft, Sequence[HistoryRecord]], None]


def choose_shape(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """Channel, category and the special kinds: repeat, new lead, no substance, impersonation, anonymous.

    A repeat restates an earlier accusation of the history ledger (on the forwarded channel, one the level
    above was also sent); a new lead is the same named person about the same cadre with new facts or new
    evidence. Items forwarded from above are accusations.
    """
    rng, mix = d.rng, t.pack.mix
    d.channel = weighted(rng, t.channels, t.channel_cum)
    d.temperament = pick(rng, t.temperaments)
    forwarded = d.channel is Channel.FORWARDED
    if history:
        pool = t.repeatable(history, forwarded)
        if pool and rng.random() < mix.repeat_share(d.channel.value):
            d.repeat_of = pick(rng, pool)
            d.category = Category.ACCUSATION
            d.anonymous = d.repeat_of.person is None
            d.specificity = d.repeat_of.specificity
            return
        named = t.followable(history)
        if named and rng.random() < mix.new_lead:
            d.related = pick(rng, named)
            d.novelty = "evidence" if rng.random() < 0.5 else "facts"
            d.category = Category.ACCUSATION
            d.specificity = "specific"
            return
    d.category = Category.ACCUSATION if forwarded else weighted(rng, t.categories, t.category_cum)
    written = d.channel in (Channel.LETTER, Channel.ONLINE, Channel.FORWARDED)
    if d.category is Category.ACCUSATION:
        d.no_substance = rng.random() < mix.no_substance
        d.impersonation = written and not d.no_substance and rng.random() < mix.impersonation
        roll = rng.random()
        if d.no_substance:
            d.specificity = "vague"
        elif roll < mix.unverifiable and t.unverifiable:
            d.specificity = "unverifiable"
        elif roll < mix.unverifiable + mix.vague:
            d.specificity = "vague"
        else:
            d.specificity = "specific"
    else:
        d.specificity = "vague" if rng.random() < mix.vague else "specific"
    if d.category in (Category.ACCUSATION, Category.SUGGESTION) and not d.impersonation:
        d.anonymous = rng.random() < mix.anonymous
    elif d.category is Category.OUT_OF_SCOPE:
        d.anonymous = rng.random() < mix.anonymous / 4


def _earlier(d: Draft) -> HistoryRecord | None:
    """The earlier item a repeat restates or a new lead follows."""
    return d.repeat_of or d.related


def choose_problem(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    earlier = _earlier(d)
    if earlier is not None:
        d.problem = earlier.problem
        return
    choices = t.unverifiable if d.specificity == "unverifiable" else t.by_category[d.category]
    if not choices:
        raise GenerationError(f"pack {t.pack.ref} has no problem type of category {d.category.value}")
    d.problem = pick(d.rng, choices)


def choose_accused(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    assert d.problem is not None
    earlier = _earlier(d)
    if earlier is not None:
        d.accused = earlier.accused
    elif d.problem.category is Category.ACCUSATION:
        if d.channel is Channel.FORWARDED and t.eligible_local[d.problem.code]:
            # the level above forwards items within this commission's authority
            d.accused = pick(d.rng, t.eligible_local[d.problem.code])
        else:
            # people report town and village cadres most, but items about city-managed cadres come too
            d.accused = weighted(d.rng, t.eligible[d.problem.code], t.eligible_cum[d.problem.code])
    if d.channel is Channel.FORWARDED and d.accused is not None and d.accused.level is ManagementLevel.CITY:
        d.channel = Channel.LETTER


def choose_reporter(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """Who writes or comes: locals report on town and village cadres; a repeat or a new lead is the same
    person (or again nobody named)."""
    earlier = _earlier(d)
    if earlier is not None:
        d.person = earlier.person
        if d.person is None:
            d.slots["home_town"] = earlier.accused.town if earlier.accused and earlier.accused.town else None
            d.slots["home_village"] = None
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
    """Received date in the window; offices receive letters, visits and calls on working days only.

    Nothing arrives after the window's last day (a ledger seen on that day has no item from the future).
    """
    rng = d.rng
    start, last = d.window
    day = start + timedelta(days=between(rng, 0, (last - start).days + 1))
    earlier = _earlier(d)
    if earlier is not None and day <= earlier.received + timedelta(days=30):
        day = min(earlier.received + timedelta(days=30 + between(rng, 0, 60)), last)
    if d.channel is Channel.ONLINE:
        minute = between(rng, 0, 24 * 60)
    else:
        day = t.next_workday(day)
        if day > last:
            day = t.pack.calendar.add_working_days(day, -1) if t.pack.calendar.covers(day) else last
        lo, hi = OFFICE_HOURS[between(rng, 0, 2)]
        minute = between(rng, lo, hi)
    d.received = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=CHINA_TZ)


def fill_slots(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    """Values for every template slot: places, people, when it happened, amounts, the problem's vars.

    A repeat, and a new lead bringing new evidence, keep the earlier item's facts (the same event, the same
    sums); a new lead with new facts happened after the earlier item was received.
    """
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
    received = d.received.date()
    earlier = _earlier(d)
    if earlier is not None and d.novelty == "facts":
        # a new matter: it happened after the earlier item reached the office
        gap = (received - earlier.received).days
        when = received - timedelta(days=between(rng, 30, max(31, gap - 10)))
    else:
        lo, hi = p.event_days
        when = received - timedelta(days=between(rng, lo, hi + 1))
    s["year"], s["month"], s["day"] = when.year, when.month, when.day
    if p.amount is not None:
        lo, hi, step = p.amount
        s["amount"] = lo + step * between(rng, 0, (hi - lo) // step + 1)
    for key, values in p.vars.items():
        s[key] = pick(rng, values)
    if earlier is not None and d.novelty != "facts":
        s.update(earlier.fact_slots)
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
    if earlier is not None:
        s["prev_year"], s["prev_month"] = earlier.received.year, earlier.received.month
    if d.novelty == "evidence":
        s["evidence"] = pick(rng, t.pack.framing["new_lead_hint"]["evidence_items"])


def write_facts(t: Tables, d: Draft, history: Sequence[HistoryRecord]) -> None:
    assert d.problem is not None
    earlier = _earlier(d)
    if d.no_substance:
        template = pick(d.rng, t.pack.framing["no_substance"])
    elif earlier is not None and d.novelty != "facts" and earlier.template:
        template = earlier.template
    else:
        matching = [f for f in d.problem.facts if f.specificity == d.specificity] or list(d.problem.facts)
        if earlier is not None:
            # another matter: not the template the earlier item was written from
            matching = [f for f in matching if f.text != earlier.template] or matching
        template = pick(d.rng, matching).text
    d.template = template
    d.facts = template.format_map(d.slots)
    d.amount = d.slots.get("amount") if "{amount}" in template else None


def fact_slots(d: Draft) -> dict[str, Any]:
    """What a fact says, to keep with a history record: when, how much and the problem's particulars."""
    assert d.problem is not None
    keys = (*FACT_SLOTS, *d.problem.vars)
    return {k: d.slots[k] for k in keys if k in d.slots}


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
    d.routed = route_for(
        t.pack,
        p,
        d.accused,
        repeat=d.repeat_of is not None,
        no_substance=d.no_substance,
        amount=d.amount,
        channel=d.channel,
    )
    route = d.routed.route
    disposal: Disposal | None = None
    if p.category is Category.ACCUSATION and route.action is RouteAction.SELF and p.disposal is not None:
        disposal = p.disposal.get(d.specificity) or p.disposal["vague"]
    received = d.received.date()
    due = tuple(
        (rule.code, t.due(rule, received))
        for rule in t.applicable(d.category, flags, route.action, d.channel, p.code)
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
        related_to=d.related.id if d.related is not None else None,
        novelty=d.novelty or None,
        route_rule=d.routed.key,
    )


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
    """What a repeat says of the earlier report, or what a new lead says it adds (none at hard level for a
    repeat or a new matter: 查重 tells)."""
    if d.repeat_of is not None:
        return _pick(d, _by_level(d, t.pack.framing["repeat_hint"]))
    if d.related is not None:
        return _pick(d, _by_level(d, t.pack.framing["new_lead_hint"][d.novelty]))
    return ""


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
