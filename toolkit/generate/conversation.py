"""Interactive form of a visit or phone case for the intake simulator (模拟受理).

:func:`build_conversation` turns a generated visit or call into a :class:`Conversation`: the visitor's
opening words, then one turn per stage of the pack's ``replies.yaml``, each offering the model reply and
two or three faulty ones in shuffled order. The visitor's answer after a reply is a reaction to the fault
(if any) followed by what the visitor says at that stage anyway, so the talk goes on whatever is chosen.

The case's facts, temperament and particulars come from re-running the case's own draft; every choice
made here draws from a separate stream (``"talk"``), so a conversation is the same on every machine and
building one never changes the case.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from toolkit.domain.codes import Channel
from toolkit.domain.conversation import Conversation, ConversationTurn, ReplyOption
from toolkit.domain.models import Case
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator, Draft, Tables, _noise, _repeat_hint, case_rng
from toolkit.generate.draw import pick
from toolkit.packs.replies import ANONYMOUS, Replies, TurnTemplate

#: the talk kind of each channel that has a conversation
TALK_OF: Mapping[Channel, str] = {Channel.VISIT: "visit", Channel.PHONE: "phone"}
#: labels of the options in display order
LABELS = "abcd"
#: the stage after which hard and medium visitors wander off the point (as in the static transcript)
NOISE_STAGE = "details"
#: the stage after which a repeat visitor says they reported before (as in the static transcript)
HINT_STAGE = "demand"
#: the random stream conversations draw from (cases draw from "case")
STREAM = "talk"


def build_conversation(gen: CaseGenerator, case: Case) -> Conversation:
    """The interactive conversation of a visit or phone case.

    Parameters
    ----------
    gen
        The generator the case was made with (same pack).
    case
        A case whose channel is ``visit`` or ``phone``.

    Returns
    -------
    Conversation
        Opening lines and one turn per stage; the same case always gives the same conversation.

    Raises
    ------
    GenerationError
        For a case of another channel, or one this generator's pack does not regenerate.
    """
    talk = TALK_OF.get(case.channel)
    if talk is None:
        raise GenerationError(
            f"case {case.id} came by {case.channel.value} ({case.channel.zh}); "
            "only visit and phone cases have a conversation"
        )
    pack = gen.pack
    if case.pack != pack.ref:
        raise GenerationError(f"case {case.id} was made with pack {case.pack}, this generator has {pack.ref}")
    d = gen.draft(case.seed, case.index, case.level, history=gen.history(case.seed))
    if d.channel is not case.channel:
        raise GenerationError(
            f"case {case.id} ({case.channel.value}) regenerates as a {d.channel.value} case; "
            "it was not made by this pack version"
        )
    # from here on every draw, including the shared noise and repeat-hint helpers, uses the talk stream
    d.rng = case_rng(pack, case.seed, case.index, STREAM)
    return _Talk(gen.tables, d, talk).conversation(case)


class _Talk:
    """The state of one conversation while it is built."""

    def __init__(self, tables: Tables, d: Draft, talk: str) -> None:
        assert d.problem is not None and d.truth is not None
        self.tables = tables
        self.d = d
        self.rng: random.Random = d.rng
        self.talk = talk
        self.replies: Replies = tables.pack.replies
        self.anonymous = d.person is None
        self.temperament = d.temperament
        handler = d.problem.handler
        self.slots: dict[str, Any] = {
            **d.slots,
            "facts": d.facts,
            "handler_name": tables.pack.jurisdiction.name(handler) if handler else "",
        }
        self.flags = frozenset(d.truth.flags)
        self.stage_lines = {s.code: s.visitor for s in tables.pack.stages}

    def conversation(self, case: Case) -> Conversation:
        opening = self.replies.opening[self.talk][self.temperament]
        lines = (self._fill(pick(self.rng, opening.narration)), self._fill(pick(self.rng, opening.visitor)))
        turns = tuple(self._turn(stage) for stage in self.replies.stages)
        return Conversation(
            case_id=case.id,
            seed=case.seed,
            pack=case.pack,
            talk=self.talk,
            opening=lines,
            turns=turns,
        )

    def _template(self, stage: str) -> TurnTemplate:
        d = self.d
        assert d.problem is not None
        for template in self.replies.by_stage[stage]:
            if template.when.matches(
                category=d.category,
                problem=d.problem.code,
                flags=self.flags,
                talk=self.talk,
                temperament=self.temperament,
                level=d.level,
            ):
                return template
        raise GenerationError(
            f"pack {self.tables.pack.ref} has no {stage!r} turn for a {d.category.value} item "
            f"of type {d.problem.code}"
        )

    def _turn(self, stage: str) -> ConversationTurn:
        template = self._template(stage)
        offer = template.offer(self.talk, self.temperament)
        rng = self.rng
        model = pick(rng, offer.models)
        count = min(len(offer.faulty), 2 + int(rng.random() * 2))
        chosen = _sample(rng, offer.faulty, count)
        visitor = self._visitor(stage, template)
        drafts: list[tuple[str, str | None, tuple[str, ...]]] = [(model, None, visitor)]
        for code, texts in chosen:
            reaction = pick(
                rng, self.replies.reaction_lines(code, self.temperament, anonymous=self.anonymous)
            )
            drafts.append((pick(rng, texts), code, (self._fill(reaction), *visitor)))
        _shuffle(rng, drafts)
        faults = self.replies.faults
        options = tuple(
            ReplyOption(
                id=LABELS[i],
                text=self._fill(text),
                fault=faults[code] if code is not None else None,
                reaction=reaction,
            )
            for i, (text, code, reaction) in enumerate(drafts)
        )
        return ConversationTurn(stage=stage, dimension=template.dimension, options=options)

    def _visitor(self, stage: str, template: TurnTemplate) -> tuple[str, ...]:
        """What the visitor says at ``stage`` whatever the officer chose (after any reaction)."""
        table: Mapping[str, Sequence[str]] = {**self.stage_lines.get(stage, {}), **template.visitor}
        lines = table[ANONYMOUS] if self.anonymous and ANONYMOUS in table else table[self.temperament]
        out = [self._fill(pick(self.rng, lines))]
        if stage == NOISE_STAGE:
            out.extend(_noise(self.tables, self.d))
        if stage == HINT_STAGE:
            hint = _repeat_hint(self.tables, self.d)
            if hint:
                out.append(hint)
        return tuple(out)

    def _fill(self, template: str) -> str:
        return template.format_map(self.slots)


def _sample(rng: random.Random, items: Sequence[Any], k: int) -> list[Any]:
    """``k`` distinct items in draw order, one ``rng.random()`` per item (partial Fisher–Yates)."""
    pool = list(items)
    for i in range(k):
        j = i + int(rng.random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def _shuffle(rng: random.Random, items: list[Any]) -> None:
    """Shuffle in place with one ``rng.random()`` per item."""
    for i in range(len(items) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        items[i], items[j] = items[j], items[i]
