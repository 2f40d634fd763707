"""The pack's ``replies.yaml``: officer replies for visits and calls, the faults they commit, and the
visitor's reactions. Read by :func:`build_replies`; used by :mod:`toolkit.generate.conversation`.

A conversation visits the stages in :attr:`Replies.stages` (the order in which they first appear in the
file's ``turns``). For each stage the first :class:`TurnTemplate` whose :class:`When` matches the item is
used; its options are indexed per talk kind and temperament when the file is read, so a conversation
costs only a few lookups and draws.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product
from types import MappingProxyType
from typing import Any

from toolkit.domain.codes import Category, Conduct, Flag, Level
from toolkit.domain.conversation import Fault
from toolkit.packs.yamlio import PathKey, YamlDoc

Fail = Callable[[PathKey, str], None]

#: the two kinds of spoken intake
TALKS = ("visit", "phone")
#: key of the lines for visitors who give no name (next to the temperament keys)
ANONYMOUS = "anonymous"
#: the stage at which the officer says how the matter will be handled; every item needs one
HANDLE_STAGE = "handle"
#: slots every template may use: those of dialogue.yaml (``loader.DIALOGUE_SLOTS``) and the handler's name
SLOTS = frozenset(
    {
        "district",
        "city",
        "commission",
        "superior",
        "town",
        "village",
        "reporter_name",
        "reporter_phone",
        "reporter_address",
        "accused_name",
        "accused_surname",
        "accused_post",
        "accused_unit_name",
        "accused_town",
        "year",
        "month",
        "day",
        "problem_name",
        "facts",
        "handler_name",
    }
)
#: filled only for accusations: allowed in turns limited to ``category: [accusation]``
ACCUSED_SLOTS = frozenset(s for s in SLOTS if s.startswith("accused_"))
#: filled only for repeat items: allowed in turns limited to ``flags_all: [repeat]``
REPEAT_SLOTS = frozenset({"prev_year", "prev_month"})
#: the flags an intake conversation can carry (impersonation only happens on paper)
_BASE_FLAGS = (Flag.REAL_NAME, Flag.ANONYMOUS)


@dataclass(frozen=True, slots=True)
class When:
    """Which items a turn template fits; every given filter must match (``None`` = any)."""

    category: frozenset[Category] | None = None
    problem: frozenset[str] | None = None
    flags_all: frozenset[Flag] = frozenset()
    flags_none: frozenset[Flag] = frozenset()
    talk: str | None = None
    temperament: frozenset[str] | None = None
    level: frozenset[Level] | None = None

    def matches(
        self,
        *,
        category: Category,
        problem: str | None,
        flags: frozenset[Flag],
        talk: str,
        temperament: str,
        level: Level,
    ) -> bool:
        """True when the item described by the arguments passes every filter."""
        return (
            (self.category is None or category in self.category)
            and (self.problem is None or problem in self.problem)
            and self.flags_all <= flags
            and not (self.flags_none & flags)
            and (self.talk is None or self.talk == talk)
            and (self.temperament is None or temperament in self.temperament)
            and (self.level is None or level in self.level)
        )

    @property
    def accusation_only(self) -> bool:
        return self.category is not None and self.category <= {Category.ACCUSATION}


@dataclass(frozen=True, slots=True)
class ReplyLine:
    """One officer line of a turn template: a model line (``fault`` None) or one committing ``fault``."""

    text: str
    fault: str | None
    talks: frozenset[str]
    temperaments: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class Choices:
    """What one turn template offers for one talk kind and temperament."""

    models: tuple[str, ...]
    #: (fault code, its lines), in file order
    faulty: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class TurnTemplate:
    """One entry of ``turns``: the officer's choices at a stage, for the items ``when`` admits."""

    stage: str
    dimension: Conduct
    when: When
    options: tuple[ReplyLine, ...]
    #: lines that replace the dialogue stage's visitor lines (per temperament, or ``anonymous``)
    visitor: Mapping[str, tuple[str, ...]]
    choices: Mapping[tuple[str, str], Choices] = field(repr=False)

    def offer(self, talk: str, temperament: str) -> Choices:
        """The model and faulty lines for ``talk`` and ``temperament``."""
        return self.choices[(talk, temperament)]


@dataclass(frozen=True, slots=True)
class Opening:
    """How a visit or call starts: one narration line and the visitor's first words."""

    narration: tuple[str, ...]
    visitor: tuple[str, ...]


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Replies:
    """Everything a conversation is made from (see docs/pack-format.md)."""

    faults: Mapping[str, Fault]
    #: talk kind → temperament → opening
    opening: Mapping[str, Mapping[str, Opening]] = field(default_factory=_empty)
    turns: tuple[TurnTemplate, ...] = ()
    #: fault code → temperament (or ``anonymous``) → the visitor's lines after that fault
    reactions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=_empty)
    #: the stages of a conversation, in order
    stages: tuple[str, ...] = ()
    by_stage: Mapping[str, tuple[TurnTemplate, ...]] = field(default_factory=_empty, repr=False)

    def reaction_lines(self, fault: str, temperament: str, *, anonymous: bool) -> tuple[str, ...]:
        """The visitor's possible reactions to ``fault``; the ``anonymous`` set for nameless visitors."""
        table = self.reactions[fault]
        if anonymous and ANONYMOUS in table:
            return table[ANONYMOUS]
        return table[temperament]


def build_replies(
    doc: YamlDoc,
    fail: Fail,
    *,
    temperaments: frozenset[str],
    stages: frozenset[str],
    problems: frozenset[str] | None = None,
) -> Replies:
    """The replies of ``doc`` (already schema-checked); cross-checks report through ``fail``.

    Parameters
    ----------
    doc
        The parsed ``replies.yaml``.
    fail
        Called with the field path and a message for every problem found.
    temperaments
        The temperament codes of dialogue.yaml.
    stages
        The stage codes of dialogue.yaml; a turn at another stage must bring its own visitor lines.
    problems
        The problem-type codes of problems.yaml, to check ``when.problem``; unchecked when None.

    Returns
    -------
    Replies
        Usable for conversations only when ``fail`` was never called.
    """
    data = doc.data
    temps = tuple(sorted(temperaments))
    faults = _faults(data["faults"], fail)
    opening = _opening(data["opening"], fail, temperaments)
    turns = tuple(
        _turn(("turns", i), raw, fail, faults, temperaments, stages, problems)
        for i, raw in enumerate(data["turns"])
    )
    reactions = _reactions(data["reactions"], fail, faults, temperaments)
    order: list[str] = []
    for t in turns:
        if t.stage not in order:
            order.append(t.stage)
    by_stage = {s: tuple(t for t in turns if t.stage == s) for s in order}
    if HANDLE_STAGE not in by_stage:
        fail(("turns",), f"no turn at stage {HANDLE_STAGE!r}: every item needs one (妥善处理)")
    else:
        _check_coverage(by_stage, fail, temps)
    return Replies(
        faults=MappingProxyType(faults),
        opening=opening,
        turns=turns,
        reactions=reactions,
        stages=tuple(order),
        by_stage=MappingProxyType(by_stage),
    )


# -- parts ------------------------------------------------------------------------------------------


def _faults(raw: list[dict[str, str]], fail: Fail) -> dict[str, Fault]:
    out: dict[str, Fault] = {}
    for i, f in enumerate(raw):
        if f["code"] in out:
            fail(("faults", i, "code"), f"fault {f['code']!r} is defined twice")
            continue
        try:
            dimension = Conduct.parse(f["dimension"])
        except ValueError as exc:
            fail(("faults", i, "dimension"), str(exc))
            continue
        out[f["code"]] = Fault(f["code"], dimension, f["name"], f["rule"], f["source"])
    return out


def _opening(
    raw: dict[str, dict[str, dict[str, list[str]]]], fail: Fail, temperaments: frozenset[str]
) -> Mapping[str, Mapping[str, Opening]]:
    out: dict[str, Mapping[str, Opening]] = {}
    plain = SLOTS - ACCUSED_SLOTS
    for talk in TALKS:
        table = raw[talk]
        _check_keys(("opening", talk), table, temperaments, fail, required=True)
        for temperament, entry in table.items():
            for part in ("narration", "visitor"):
                for j, line in enumerate(entry[part]):
                    _check_slots(("opening", talk, temperament, part, j), line, plain, fail)
        out[talk] = MappingProxyType(
            {k: Opening(tuple(v["narration"]), tuple(v["visitor"])) for k, v in table.items()}
        )
    return MappingProxyType(out)


def _turn(
    at: PathKey,
    raw: dict[str, Any],
    fail: Fail,
    faults: Mapping[str, Fault],
    temperaments: frozenset[str],
    stages: frozenset[str],
    problems: frozenset[str] | None,
) -> TurnTemplate:
    when = _when((*at, "when"), raw.get("when", {}), fail, temperaments, problems)
    try:
        dimension = Conduct.parse(raw["dimension"])
    except ValueError as exc:
        fail((*at, "dimension"), str(exc))
        dimension = Conduct.HANDLE
    allowed = set(SLOTS)
    if not when.accusation_only:
        allowed -= ACCUSED_SLOTS
    if Flag.REPEAT in when.flags_all:
        allowed |= REPEAT_SLOTS
    admitted = tuple(sorted(when.temperament & temperaments if when.temperament else temperaments))
    visitor = raw.get("visitor", {})
    new_stage = raw["stage"] not in stages
    if new_stage and not visitor:
        fail(
            (*at, "stage"),
            f"stage {raw['stage']!r} is not in dialogue.yaml; a new stage needs its own visitor lines",
        )
    elif visitor:
        _check_keys((*at, "visitor"), visitor, frozenset(admitted), fail, required=new_stage)
    for key, lines in visitor.items():
        for j, line in enumerate(lines):
            _check_slots((*at, "visitor", key, j), line, allowed, fail)
    options: list[ReplyLine] = []
    for j, o in enumerate(raw["options"]):
        here = (*at, "options", j)
        code = o.get("fault")
        if code is not None and code not in faults:
            fail((*here, "fault"), f"unknown fault {code!r}; faults: {', '.join(sorted(faults))}")
        chosen = o.get("temperament")
        if chosen is not None:
            _check_known((*here, "temperament"), chosen, temperaments, "temperament", fail)
        _check_slots((*here, "text"), o["text"], allowed, fail)
        options.append(
            ReplyLine(
                text=o["text"],
                fault=code,
                talks=frozenset([o["talk"]] if "talk" in o else TALKS),
                temperaments=frozenset(chosen) if chosen is not None else None,
            )
        )
    talks = (when.talk,) if when.talk else TALKS
    choices = {(talk, temp): _choices(options, talk, temp) for talk in TALKS for temp in temperaments}
    short = [
        f"{talk}/{temp} ({len(c.models)} model, {len(c.faulty)} fault(s))"
        for talk in talks
        for temp in admitted
        if not (c := choices[(talk, temp)]).models or len(c.faulty) < 2
    ]
    if short:
        fail(
            (*at, "options"),
            "too few lines: each talk kind and temperament the turn applies to needs at least 1 model "
            f"line and faulty lines of at least 2 different faults; short: {', '.join(short)}",
        )
    return TurnTemplate(
        stage=raw["stage"],
        dimension=dimension,
        when=when,
        options=tuple(options),
        visitor=MappingProxyType({k: tuple(v) for k, v in visitor.items()}),
        choices=MappingProxyType(choices),
    )


def _choices(options: Iterable[ReplyLine], talk: str, temperament: str) -> Choices:
    models: list[str] = []
    faulty: dict[str, list[str]] = {}
    for o in options:
        if talk not in o.talks or (o.temperaments is not None and temperament not in o.temperaments):
            continue
        if o.fault is None:
            models.append(o.text)
        else:
            faulty.setdefault(o.fault, []).append(o.text)
    return Choices(tuple(models), tuple((k, tuple(v)) for k, v in faulty.items()))


def _when(
    at: PathKey,
    raw: dict[str, Any],
    fail: Fail,
    temperaments: frozenset[str],
    problems: frozenset[str] | None,
) -> When:
    if "temperament" in raw:
        _check_known((*at, "temperament"), raw["temperament"], temperaments, "temperament", fail)
    if "problem" in raw and problems is not None:
        _check_known((*at, "problem"), raw["problem"], problems, "problem type", fail)
    flags_all = frozenset(map(Flag, raw.get("flags_all", ())))
    flags_none = frozenset(map(Flag, raw.get("flags_none", ())))
    if flags_all & flags_none:
        both = ", ".join(sorted(f.value for f in flags_all & flags_none))
        fail(at, f"flag(s) {both} both required and excluded: the turn can never be used")
    return When(
        category=frozenset(map(Category, raw["category"])) if "category" in raw else None,
        problem=frozenset(raw["problem"]) if "problem" in raw else None,
        flags_all=flags_all,
        flags_none=flags_none,
        talk=raw.get("talk"),
        temperament=frozenset(raw["temperament"]) if "temperament" in raw else None,
        level=frozenset(map(Level, raw["level"])) if "level" in raw else None,
    )


def _reactions(
    raw: dict[str, dict[str, list[str]]],
    fail: Fail,
    faults: Mapping[str, Fault],
    temperaments: frozenset[str],
) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    plain = SLOTS - ACCUSED_SLOTS
    for code in raw:
        if code not in faults:
            fail(("reactions", code), f"reactions for unknown fault {code!r}")
    missing = [code for code in faults if code not in raw]
    if missing:
        fail(("reactions",), f"no reactions for fault(s) {', '.join(missing)}")
    for code, table in raw.items():
        _check_keys(("reactions", code), table, temperaments, fail, required=True)
        for key, lines in table.items():
            for j, line in enumerate(lines):
                _check_slots(("reactions", code, key, j), line, plain, fail)
    return MappingProxyType(
        {code: MappingProxyType({k: tuple(v) for k, v in table.items()}) for code, table in raw.items()}
    )


def _check_coverage(
    by_stage: Mapping[str, tuple[TurnTemplate, ...]], fail: Fail, temperaments: tuple[str, ...]
) -> None:
    """Every stage has a template for every kind of item a visit or call can be (any problem type)."""
    shapes: list[tuple[Category, frozenset[Flag]]] = []
    for category, base in product(Category, _BASE_FLAGS):
        shapes.append((category, frozenset({base})))
        shapes.append((category, frozenset({base, Flag.REPEAT})))
        if category is Category.ACCUSATION:
            shapes.append((category, frozenset({base, Flag.NO_SUBSTANCE})))
    for stage, templates in by_stage.items():
        general = [t for t in templates if t.when.problem is None]
        # a dimension no template filters on needs only one value tried
        talks = TALKS if any(t.when.talk for t in general) else TALKS[:1]
        temps = temperaments if any(t.when.temperament for t in general) else temperaments[:1]
        levels = tuple(Level) if any(t.when.level for t in general) else (Level.EASY,)
        reported: set[Category] = set()
        for (category, flags), talk, temperament, level in product(shapes, talks, temps, levels):
            if category in reported:
                continue
            if not any(
                t.when.matches(
                    category=category,
                    problem=None,
                    flags=flags,
                    talk=talk,
                    temperament=temperament,
                    level=level,
                )
                for t in general
            ):
                reported.add(category)
                described = ", ".join(sorted(f.value for f in flags))
                fail(
                    ("turns",),
                    f"no turn at stage {stage!r} fits a {category.value} item ({described}; {talk}, "
                    f"{temperament}, {level.value}) whatever its problem type",
                )


# -- small checks -------------------------------------------------------------------------------------


def _check_keys(
    at: PathKey, table: Mapping[str, Any], temperaments: frozenset[str], fail: Fail, *, required: bool
) -> None:
    """Keys of a per-temperament table: known temperaments or ``anonymous``; all of them if ``required``."""
    unknown = sorted(set(table) - temperaments - {ANONYMOUS})
    if unknown:
        fail(at, f"unknown temperament(s) {', '.join(unknown)}; known: {', '.join(sorted(temperaments))}")
    missing = sorted(temperaments - set(table))
    if required and missing:
        fail(at, f"no lines for temperament(s) {', '.join(missing)}")


def _check_known(at: PathKey, values: Iterable[str], known: frozenset[str], what: str, fail: Fail) -> None:
    unknown = sorted(set(values) - known)
    if unknown:
        fail(at, f"unknown {what}(s) {', '.join(unknown)}")


def slots_in(template: str) -> set[str]:
    """Names of the ``{slot}`` fields in a template; ValueError for malformed braces."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _check_slots(at: PathKey, template: str, allowed: Iterable[str], fail: Fail) -> None:
    try:
        used = slots_in(template)
    except ValueError as exc:
        fail(at, f"malformed template braces: {exc}")
        return
    wrong = used - set(allowed)
    unknown = sorted(wrong - SLOTS - REPEAT_SLOTS)
    if unknown:
        names = ", ".join("{" + u + "}" for u in unknown)
        fail(at, f"unknown template slot(s) {names}")
    misplaced = sorted(wrong & (ACCUSED_SLOTS | REPEAT_SLOTS))
    if misplaced:
        names = ", ".join("{" + u + "}" for u in misplaced)
        fail(
            at,
            f"slot(s) {names} are empty here: accused_* slots need a turn limited to "
            "category [accusation], prev_year/prev_month one limited to flags_all [repeat]",
        )
