"""Which items each contestant gets in each round, and how the server builds them.

Every item is named by an :class:`ItemRef`: its round and position, the ``key`` that the contestant's page
shows and that submissions are filed under (``r2-07``), and a server-only ``recipe`` saying how to build it
(seed, index, level, defect types, bank id and option order, generator and seed). Nothing of the recipe
goes to a browser; :func:`build_item` turns it into the case, dossier or question.

*Slots.* Slot 0 is the round's **blueprint**, the common set. Without variants every contestant gets
slot 0; with variants contestant number n (1, 2 …) gets slot n: items of equal difficulty made for them.
What "equal difficulty" keeps is :func:`blueprint_signature`:

- intake: the same level and problem type, and if possible the same category and channel (a variant is
  the first case of its own seed that matches; it drops the channel, then the category, when no case of
  the first :data:`~toolkit.generate.pick.MAX_TRIES` matches, and its recipe's ``matched`` says what was
  kept);
- findings: the same level and exactly the same defect types planted in another case's file (the same
  problem type when one of the first ``MAX_TRIES`` cases takes them, any otherwise);
- quiz: the same bank questions with their options in another order, and the same question generators
  with another seed.

Levels rotate easy → medium → hard over the positions of a round. Everything follows from the spec's
seed, the round, the position and the slot, so the same arguments give the same items everywhere.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from toolkit.competition.model import CompetitionSpec
from toolkit.domain.codes import Level
from toolkit.domain.dossier import Dossier
from toolkit.domain.models import Case
from toolkit.domain.quiz import LETTERS, Question, QuestionKind
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.dossiers import build_dossier
from toolkit.generate.pick import MAX_TRIES, SEED_LIMIT
from toolkit.generate.quiz import GENERATORS, generate_question
from toolkit.packs.model import Pack

__all__ = [
    "BANK_SHARE",
    "DEFECT_COUNTS",
    "LEVELS",
    "Item",
    "ItemRef",
    "blueprint_signature",
    "build_item",
    "item_key",
    "round_items",
    "slot_of",
]

Item = Case | Dossier | Question

#: levels in the order they rotate over a round's positions
LEVELS: tuple[Level, ...] = (Level.EASY, Level.MEDIUM, Level.HARD)
#: defects planted in a competition dossier by level (never a clean file: every item can be scored)
DEFECT_COUNTS: Mapping[Level, tuple[int, ...]] = MappingProxyType(
    {Level.EASY: (1, 2), Level.MEDIUM: (1, 2, 3), Level.HARD: (2, 3)}
)
#: about this share of a quiz round comes from the pack's bank, the rest from question generators
BANK_SHARE = 0.75
#: the properties an intake variant tries to keep, in the order they are given up (level and problem
#: type never are)
INTAKE_MATCH: tuple[str, ...] = ("level", "problem_type", "category", "channel")
#: options that refer to other options by place: a question with one keeps its option order
_POSITIONAL = ("以上", "上述", "前述", "都不", "均不")


@dataclass(frozen=True, slots=True)
class ItemRef:
    """One item of one round for one contestant slot.

    Attributes
    ----------
    round, position
        The round (1-based) and the item's place in it (1-based).
    kind
        ``"intake"``, ``"findings"`` or ``"quiz"``.
    key
        ``r{round}-{position:02d}``: shown on the contestant's page, and what submissions are filed under.
    recipe
        Server-only: how to build the item (see :func:`build_item`). Held read-only; lists as tuples.
    """

    round: int
    position: int
    kind: str
    key: str
    recipe: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "recipe", _frozen(self.recipe))

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "position": self.position,
            "kind": self.kind,
            "key": self.key,
            "recipe": _plain(self.recipe),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemRef:
        return cls(
            round=int(data["round"]),
            position=int(data["position"]),
            kind=str(data["kind"]),
            key=str(data["key"]),
            recipe=data.get("recipe", {}),
        )


def _frozen(value: Any) -> Any:
    """A read-only copy: mappings as mapping proxies, lists and tuples as tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _plain(value: Any) -> Any:
    """The JSON form of a frozen value: dicts and lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def item_key(round_no: int, position: int) -> str:
    """``r2-07``: round 2, position 7."""
    return f"r{round_no}-{position:02d}"


def slot_of(spec: CompetitionSpec, contestant_no: int) -> int:
    """The slot contestant number ``contestant_no`` (1-based) plays: 0 without variants, their number with."""
    return contestant_no if spec.variants else 0


def derived_seed(*parts: object) -> int:
    """A seed below :data:`~toolkit.generate.pick.SEED_LIMIT` that follows from ``parts`` and nothing else."""
    text = "|".join(["competition", *(str(p) for p in parts)])
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % SEED_LIMIT


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(["competition", *(str(p) for p in parts)]))


def level_at(position: int) -> Level:
    """The level of position ``position`` (1-based): easy, medium, hard, easy …"""
    return LEVELS[(position - 1) % len(LEVELS)]


# -- the public API ----------------------------------------------------------------------------------


def round_items(
    spec: CompetitionSpec, pack: Pack | CaseGenerator, round_no: int, slot: int
) -> tuple[ItemRef, ...]:
    """The items of round ``round_no`` for contestant slot ``slot``.

    Parameters
    ----------
    spec
        The competition.
    pack
        Its pack, or a case generator of it (which keeps the history ledgers it has made, so asking for
        many slots is faster).
    round_no
        The round, 1-based.
    slot
        0 for the blueprint; a contestant's number with variants (see :func:`slot_of`). Without variants
        every slot gets the blueprint.

    Returns
    -------
    tuple of ItemRef
        One per position, in order; the same arguments give the same items.

    Raises
    ------
    GenerationError
        For a round the spec does not have or a negative slot; when no case of a variant's seed keeps
        the blueprint's level and problem type (intake) or takes its defect types (findings); when the
        pack cannot make a quiz round of that size.
    """
    if not 1 <= round_no <= len(spec.rounds):
        raise GenerationError(f"the competition has rounds 1..{len(spec.rounds)}, not {round_no}")
    if slot < 0:
        raise GenerationError(f"a slot is 0 (the blueprint) or a contestant's number, not {slot}")
    gen = pack if isinstance(pack, CaseGenerator) else CaseGenerator(pack)
    kind = spec.rounds[round_no - 1].kind
    step = _ROUND_STEPS.get(kind)
    if step is None:
        raise GenerationError(f"round {round_no} has an unknown kind {kind!r}")
    blueprint = step(spec, gen, round_no, 0, None)
    if slot == 0 or not spec.variants:
        return blueprint
    return step(spec, gen, round_no, slot, blueprint)


def build_item(ref: ItemRef, gen: CaseGenerator) -> Item:
    """Build the item ``ref`` names, on the server, with the case generator of the competition's pack.

    Parameters
    ----------
    ref
        The item, with its recipe.
    gen
        The case generator of the pack (quiz items use its pack's bank and generators).

    Returns
    -------
    Case, Dossier or Question
        A case (intake), a dossier with exactly the recipe's defect types planted (findings), or a
        question (quiz): a bank question with its options put in the recipe's order and its answer
        letters following them, or a generated one.

    Raises
    ------
    GenerationError
        For an unknown kind or a recipe that cannot be built with this pack.
    """
    r = ref.recipe
    if ref.kind == "intake":
        return gen.case(int(r["seed"]), int(r["index"]), Level(r["level"]))
    if ref.kind == "findings":
        return build_dossier(gen, int(r["seed"]), int(r["index"]), level=Level(r["level"]), types=r["types"])
    if ref.kind == "quiz":
        if "bank" in r:
            question = gen.pack.quiz.question(str(r["bank"]))
            return permuted(question, r.get("perm", ()))
        return generate_question(gen.pack, str(r["generator"]), int(r["seed"]))
    raise GenerationError(f"unknown item kind {ref.kind!r}")


def blueprint_signature(ref: ItemRef, item: Item) -> tuple[Any, ...]:
    """What an item has in common with the blueprint of its position, whatever its slot.

    Parameters
    ----------
    ref
        The item's reference.
    item
        The item built from it (:func:`build_item`).

    Returns
    -------
    tuple
        intake: kind, level and problem type (what a variant never gives up; whether category and
        channel were kept too is in the recipe's ``matched``); findings: kind, level and the sorted
        defect types planted; quiz: kind, question kind and ``bank:<id>`` or ``generator:<name>``.
    """
    if isinstance(item, Case):
        return (ref.kind, item.level.value, item.truth.problem_type)
    if isinstance(item, Dossier):
        return (ref.kind, item.level.value, tuple(sorted(p.defect for p in item.answer_key)))
    source = f"bank:{ref.recipe['bank']}" if "bank" in ref.recipe else f"generator:{ref.recipe['generator']}"
    return (ref.kind, item.kind.value, source)


def permuted(question: Question, perm: Sequence[int]) -> Question:
    """``question`` with option ``perm[i]`` shown in place ``i``, the answer letters following their options.

    An empty or identity ``perm`` gives the question unchanged. Raises :class:`GenerationError` when
    ``perm`` is not an ordering of the question's options.
    """
    perm = [int(i) for i in perm]
    if not perm or perm == list(range(len(question.options))):
        return question
    if sorted(perm) != list(range(len(question.options))):
        raise GenerationError(
            f"{perm} is not an order of the {len(question.options)} options of {question.id}"
        )
    options = tuple(question.options[j] for j in perm)
    answer = question.answer
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        place = {old: new for new, old in enumerate(perm)}
        answer = tuple(sorted(LETTERS[place[LETTERS.index(a)]] for a in question.answer))
    return Question(
        id=question.id,
        kind=question.kind,
        stem=question.stem,
        options=options,
        answer=answer,
        source=question.source,
        explanation=question.explanation,
        topic=question.topic,
        seed=question.seed,
        pack=question.pack,
    )


# -- one step per round kind (declared once in _ROUND_STEPS) --------------------------------------------

RoundStep = Callable[
    [CompetitionSpec, CaseGenerator, int, int, tuple[ItemRef, ...] | None], tuple[ItemRef, ...]
]


def intake_round(
    spec: CompetitionSpec, gen: CaseGenerator, round_no: int, slot: int, blueprint: tuple[ItemRef, ...] | None
) -> tuple[ItemRef, ...]:
    """Intake cases: the blueprint's case ``position - 1`` of the round's seed, or a variant's match."""
    count = spec.rounds[round_no - 1].count
    seed = derived_seed(spec.seed, round_no)
    if blueprint is None:
        return tuple(
            ItemRef(
                round_no,
                pos,
                "intake",
                item_key(round_no, pos),
                {"seed": seed, "index": pos - 1, "level": level_at(pos).value, "matched": list(INTAKE_MATCH)},
            )
            for pos in range(1, count + 1)
        )
    vseed = derived_seed(spec.seed, round_no, slot)
    used: set[int] = set()
    refs = []
    for ref in blueprint:
        level = Level(ref.recipe["level"])
        want = gen.case(int(ref.recipe["seed"]), int(ref.recipe["index"]), level)
        index, matched = _intake_match(gen, vseed, level, want, used)
        used.add(index)
        recipe = {"seed": vseed, "index": index, "level": level.value, "matched": matched}
        refs.append(ItemRef(round_no, ref.position, "intake", ref.key, recipe))
    return tuple(refs)


def _intake_match(
    gen: CaseGenerator, seed: int, level: Level, want: Case, used: set[int]
) -> tuple[int, list[str]]:
    """The first unused case of ``seed`` like ``want``, and the properties it keeps (see INTAKE_MATCH)."""
    target = (want.truth.problem_type, want.truth.category, want.channel)
    best: dict[int, int] = {}  # how many properties after level agree (1..3) → first index
    for index in range(MAX_TRIES):
        if index in used:
            continue
        case = gen.case(seed, index, level)
        got = (case.truth.problem_type, case.truth.category, case.channel)
        agree = 0
        while agree < 3 and got[agree] == target[agree]:
            agree += 1
        if agree:
            best.setdefault(agree, index)
        if agree == 3:
            break
    if not best:
        raise GenerationError(
            f"no {level.value} case of problem type {want.truth.problem_type!r} among the first {MAX_TRIES} "
            f"of seed {seed}; try another competition seed"
        )
    agree = max(best)
    return best[agree], list(INTAKE_MATCH[: agree + 1])


def findings_round(
    spec: CompetitionSpec, gen: CaseGenerator, round_no: int, slot: int, blueprint: tuple[ItemRef, ...] | None
) -> tuple[ItemRef, ...]:
    """Dossiers: the blueprint's planted types chosen as in practice; a variant's the same types elsewhere."""
    count = spec.rounds[round_no - 1].count
    seed = derived_seed(spec.seed, round_no)
    used: set[int] = set()
    refs = []
    if blueprint is None:
        draw = _rng(spec.seed, round_no, "defect-counts")
        for pos in range(1, count + 1):
            level = level_at(pos)
            defects = draw.choice(DEFECT_COUNTS[level])
            index, types = _blueprint_dossier(gen, seed, level, defects, used)
            used.add(index)
            recipe = {
                "seed": seed,
                "index": index,
                "level": level.value,
                "types": types,
                "matched": ["level", "types", "problem_type"],
            }
            refs.append(ItemRef(round_no, pos, "findings", item_key(round_no, pos), recipe))
        return tuple(refs)
    vseed = derived_seed(spec.seed, round_no, slot)
    for ref in blueprint:
        level, types = Level(ref.recipe["level"]), list(ref.recipe["types"])
        problem = gen.case(int(ref.recipe["seed"]), int(ref.recipe["index"]), level).truth.problem_type
        index, matched = _variant_dossier(gen, vseed, level, types, problem, used)
        used.add(index)
        recipe = {"seed": vseed, "index": index, "level": level.value, "types": types, "matched": matched}
        refs.append(ItemRef(round_no, ref.position, "findings", ref.key, recipe))
    return tuple(refs)


def _takes(gen: CaseGenerator, seed: int, index: int, level: Level, types: Sequence[str]) -> bool:
    """Whether exactly ``types`` can be planted in the file of case ``index``."""
    try:
        build_dossier(gen, seed, index, level=level, types=types)
    except GenerationError:
        return False
    return True


def _blueprint_dossier(
    gen: CaseGenerator, seed: int, level: Level, defects: int, used: set[int]
) -> tuple[int, list[str]]:
    """The first unused case of ``seed`` whose file takes ``defects`` defects (chosen as a practice
    dossier's are) and takes those same types again when asked for by name."""
    for index in range(MAX_TRIES):
        if index in used:
            continue
        try:
            dossier = build_dossier(gen, seed, index, defects=defects, level=level)
        except GenerationError:
            continue
        types = sorted(p.defect for p in dossier.answer_key)
        if _takes(gen, seed, index, level, types):
            return index, types
    raise GenerationError(
        f"no {level.value} dossier with {defects} defect(s) among the first {MAX_TRIES} of seed {seed}"
    )


def _variant_dossier(
    gen: CaseGenerator, seed: int, level: Level, types: Sequence[str], problem: str, used: set[int]
) -> tuple[int, list[str]]:
    """The first unused case of ``seed`` whose file takes ``types``: of problem type ``problem`` if any."""
    for index in range(MAX_TRIES):
        if index not in used and gen.case(seed, index, level).truth.problem_type == problem:
            if _takes(gen, seed, index, level, types):
                return index, ["level", "types", "problem_type"]
    for index in range(MAX_TRIES):
        if index not in used and _takes(gen, seed, index, level, types):
            return index, ["level", "types"]
    raise GenerationError(
        f"no {level.value} case among the first {MAX_TRIES} of seed {seed} takes the defect types "
        f"{list(types)}"
    )


def quiz_round(
    spec: CompetitionSpec, gen: CaseGenerator, round_no: int, slot: int, blueprint: tuple[ItemRef, ...] | None
) -> tuple[ItemRef, ...]:
    """Questions: bank questions spread over kinds and generated ones, in a seeded order."""
    if blueprint is None:
        blueprint = _quiz_blueprint(spec, gen.pack, round_no)
        if slot == 0:
            return blueprint
    bank = gen.pack.quiz
    refs = []
    for ref in blueprint:
        if "bank" in ref.recipe:
            options = bank.question(str(ref.recipe["bank"])).options
            perm = list(range(len(options)))
            if not any(word in option for option in options for word in _POSITIONAL):
                _rng(spec.seed, round_no, slot, ref.position, "perm").shuffle(perm)
            recipe: dict[str, Any] = {"bank": ref.recipe["bank"], "perm": perm}
        else:
            seed = derived_seed(spec.seed, round_no, slot, ref.position, "quiz")
            recipe = {"generator": ref.recipe["generator"], "seed": seed}
        refs.append(ItemRef(round_no, ref.position, "quiz", ref.key, recipe))
    return tuple(refs)


def _quiz_blueprint(spec: CompetitionSpec, pack: Pack, round_no: int) -> tuple[ItemRef, ...]:
    """The common question set of a quiz round."""
    count = spec.rounds[round_no - 1].count
    questions = list(pack.quiz.questions)
    generators = sorted(GENERATORS)
    draw = _rng(spec.seed, round_no, "quiz")
    from_bank = min(len(questions), round(count * BANK_SHARE) if generators else count)
    if count - from_bank and not generators:
        raise GenerationError(
            f"a quiz round of {count} questions needs question generators; the bank of {pack.ref} has "
            f"{len(questions)}"
        )
    by_kind: dict[QuestionKind, list[Question]] = {}
    for q in questions:
        by_kind.setdefault(q.kind, []).append(q)
    groups = [by_kind[k] for k in QuestionKind if k in by_kind]
    for group in groups:
        draw.shuffle(group)
    draw.shuffle(groups)
    picked: list[Question] = []
    while len(picked) < from_bank:  # one of each kind in turn, until the share is drawn
        for group in groups:
            if group and len(picked) < from_bank:
                picked.append(group.pop())
    draw.shuffle(generators)
    recipes: list[dict[str, Any]] = [{"bank": q.id, "perm": list(range(len(q.options)))} for q in picked]
    recipes += [{"generator": generators[i % len(generators)]} for i in range(count - from_bank)]
    draw.shuffle(recipes)
    refs = []
    for pos, recipe in enumerate(recipes, start=1):
        if "generator" in recipe:
            recipe["seed"] = derived_seed(spec.seed, round_no, 0, pos, "quiz")
        refs.append(ItemRef(round_no, pos, "quiz", item_key(round_no, pos), recipe))
    return tuple(refs)


_ROUND_STEPS: Mapping[str, RoundStep] = MappingProxyType(
    {"intake": intake_round, "findings": findings_round, "quiz": quiz_round}
)
