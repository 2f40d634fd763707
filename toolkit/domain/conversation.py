"""A visit or phone call as an interactive conversation: the visitor speaks, the officer picks a reply.

A :class:`Conversation` is generated from a case (see :mod:`toolkit.generate.conversation`). It opens
with the visitor's first lines; then each :class:`ConversationTurn` offers 3–4 officer replies. Exactly
one reply per turn is a model reply (``fault`` is None); every other commits one :class:`Fault`. After the
officer's reply the visitor answers with that option's ``reaction`` lines, so the conversation follows
the choice.

The faults and reactions are answer-key data: a page shows only :meth:`Conversation.opening_lines`,
:meth:`Conversation.public_turn` and, after a choice, :meth:`Conversation.reaction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.domain.codes import Conduct


@dataclass(frozen=True, slots=True)
class Fault:
    """A conduct fault an officer's reply can commit, with the rule it breaks."""

    code: str
    dimension: Conduct
    name: str
    rule: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "dimension": self.dimension,
            "name": self.name,
            "rule": self.rule,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class ReplyOption:
    """One reply the officer can choose; ``id`` is a neutral label ("a", "b" ...) in shuffled order."""

    id: str
    text: str
    fault: Fault | None
    reaction: tuple[str, ...]

    @property
    def is_model(self) -> bool:
        return self.fault is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "fault": self.fault.to_dict() if self.fault else None,
            "reaction": list(self.reaction),
        }


@dataclass(frozen=True, slots=True)
class ConversationTurn:
    """One point in the conversation where the officer replies; ``dimension`` is what it exercises."""

    stage: str
    dimension: Conduct
    options: tuple[ReplyOption, ...]

    def option(self, option_id: str) -> ReplyOption:
        """The option labelled ``option_id``; ``KeyError`` for a label this turn does not offer."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    @property
    def model(self) -> ReplyOption:
        """The model reply of this turn."""
        return next(o for o in self.options if o.fault is None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "dimension": self.dimension,
            "options": [o.to_dict() for o in self.options],
        }


@dataclass(frozen=True, slots=True)
class Conversation:
    """The interactive form of a visit or call, with its answer key (the faults) inside."""

    case_id: str
    seed: int
    pack: str
    talk: str  # "visit" | "phone"
    opening: tuple[str, ...]
    turns: tuple[ConversationTurn, ...]

    def opening_lines(self) -> tuple[str, ...]:
        """What the learner sees before the first choice (narration and the visitor's first words)."""
        return self.opening

    def public_turn(self, index: int) -> dict[str, Any]:
        """Turn ``index`` as the page may show it before submission: stage and option texts only."""
        turn = self.turns[index]
        return {
            "index": index,
            "stage": turn.stage,
            "options": [{"id": o.id, "text": o.text} for o in turn.options],
        }

    def reaction(self, index: int, option_id: str) -> tuple[str, ...]:
        """The visitor's lines after the officer chose ``option_id`` at turn ``index``."""
        return self.turns[index].option(option_id).reaction

    def model_choices(self) -> tuple[str, ...]:
        """The model reply's label at every turn: a perfect set of choices."""
        return tuple(turn.model.id for turn in self.turns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "seed": self.seed,
            "pack": self.pack,
            "talk": self.talk,
            "opening": list(self.opening),
            "turns": [t.to_dict() for t in self.turns],
        }
