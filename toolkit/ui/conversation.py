"""A visit or call, turn by turn: the visitor speaks, the learner picks the officer's reply.

Only what the learner may see is ever put into a widget: the opening lines, the visitor's answers to the
replies already chosen, and the current turn's option texts. Which option is the model reply, and what
each fault is, stays in the kernel until the item is submitted.

Every choice is checked on the server: it must be for the current turn and name an option that turn
offers, and nothing is accepted once the panel is locked. A refused choice is reported through
``on_refused`` (the app logs it to the store) and changes nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.conversation import Conversation
from toolkit.i18n import t

__all__ = ["ConversationPanel"]

Refused = Callable[[str, dict[str, Any]], None]


class ConversationPanel:
    """The conversation of one case.

    Parameters
    ----------
    conversation
        The conversation (with its answer key; it never leaves the kernel).
    lang
        Page language.
    guard
        The page's ``MessageArea.guard``: every click runs inside it.
    on_refused
        Called with a short code and details when a choice is refused.
    on_finished
        Called once, after the last turn's reply.
    """

    def __init__(
        self,
        *,
        conversation: Conversation,
        lang: str,
        guard: Callable[..., Any],
        on_refused: Refused,
        on_finished: Callable[[], None],
    ) -> None:
        self.conversation = conversation
        self.lang = lang
        self._guard = guard
        self._on_refused = on_refused
        self._on_finished = on_finished
        self.choices: list[str] = []
        self.locked = False
        self._lines: list[tuple[str, str]] = [("visitor", line) for line in conversation.opening_lines()]
        self._log = widgets.HTML(value="")
        self._log.add_class("xf-chat")
        self._prompt = widgets.HTML(value="")
        self._options = widgets.VBox(children=())
        self._options.add_class("xf-replies")
        talk_key = "intake.talk.visit" if conversation.talk == "visit" else "intake.talk.phone"
        heading = widgets.HTML(value=f"<h3>{html.escape(t(talk_key, lang))}</h3>")
        self.widget = widgets.VBox(children=(heading, self._log, self._prompt, self._options))
        self.widget.add_class("xf-conversation")
        self._render()

    @property
    def turn(self) -> int:
        """The index of the turn waiting for a reply (``len(turns)`` when finished)."""
        return len(self.choices)

    @property
    def finished(self) -> bool:
        return self.turn >= len(self.conversation.turns)

    def choose(self, turn: int, option_id: str) -> bool:
        """Reply with ``option_id`` at ``turn``; ``False`` (and a refusal report) if not allowed now."""
        detail = {"turn": turn, "option": str(option_id)[:20], "case_id": self.conversation.case_id}
        if self.locked:
            self._on_refused("conversation-after-submit", detail)
            return False
        if turn != self.turn or self.finished:
            self._on_refused("conversation-wrong-turn", detail)
            return False
        try:
            reaction = self.conversation.reaction(turn, option_id)
            text = self.conversation.turns[turn].option(option_id).text
        except KeyError:
            self._on_refused("conversation-unknown-option", detail)
            return False
        self.choices.append(option_id)
        self._lines.append(("officer", text))
        self._lines.extend(("visitor", line) for line in reaction)
        self._render()
        if self.finished:
            self._on_finished()
        return True

    def lock(self) -> None:
        """Accept no more replies (after submission)."""
        self.locked = True
        for button in self._options.children:
            button.disabled = True

    def transcript(self) -> list[dict[str, str]]:
        """What was said, in order (stored with the submission)."""
        return [{"speaker": who, "text": text} for who, text in self._lines]

    def _render(self) -> None:
        visitor = t(
            "intake.talk.visitor" if self.conversation.talk == "visit" else "intake.talk.caller", self.lang
        )
        me = t("intake.talk.me", self.lang)
        rows = []
        for who, text in self._lines:
            label = me if who == "officer" else visitor
            rows.append(
                f'<div class="xf-line xf-line-{who}"><span class="xf-who">{html.escape(label)}</span>'
                f'<span class="xf-said">{html.escape(text)}</span></div>'
            )
        self._log.value = "".join(rows)
        if self.finished:
            self._prompt.value = f'<p class="xf-hint">{html.escape(t("intake.talk.done", self.lang))}</p>'
            self._options.children = ()
            return
        public = self.conversation.public_turn(self.turn)
        total = len(self.conversation.turns)
        pick = t("intake.talk.pick", self.lang, n=self.turn + 1, total=total)
        self._prompt.value = f'<p class="xf-hint">{html.escape(pick)}</p>'
        buttons = []
        for option in public["options"]:
            button = widgets.Button(
                description=f"{option['id'].upper()}. {option['text']}",
                layout=widgets.Layout(width="100%", height="auto"),
            )
            button.add_class("xf-reply")
            button.on_click(self._guard(self._clicker(public["index"], option["id"])))
            buttons.append(button)
        self._options.children = tuple(buttons)

    def _clicker(self, turn: int, option_id: str) -> Callable[[Any], None]:
        def click(_button: Any) -> None:
            self.choose(turn, option_id)

        return click
