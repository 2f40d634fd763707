"""Interactive conversations of ~200 generated visits and calls, checked against the pack and the case."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from toolkit.domain.codes import Category, Channel, Flag, Level, RouteAction
from toolkit.domain.conversation import Conversation
from toolkit.domain.models import Case
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.conversation import LABELS, build_conversation
from toolkit.packs import Pack

SEED = 20250311
N = 700
SPOKEN = (Channel.VISIT, Channel.PHONE)
CONDITIONS = ("必须", "不然", "否则", "才能", "才给")
PROMISES = ("保证", "打包票", "包在我身上", "肯定")

Talk = tuple[Case, Conversation]


@pytest.fixture(scope="module")
def talks(generator: CaseGenerator) -> list[Talk]:
    cases = [c for c in generator.cases(SEED, N) if c.channel in SPOKEN]
    assert len(cases) >= 200
    return [(c, build_conversation(generator, c)) for c in cases]


def _texts(conv: Conversation) -> list[str]:
    """Every line of the conversation: opening, options and reactions."""
    out = list(conv.opening)
    for turn in conv.turns:
        for option in turn.options:
            out.append(option.text)
            out.extend(option.reaction)
    return out


def test_every_turn_offers_one_model_and_two_or_three_different_faults(talks: list[Talk], pack: Pack) -> None:
    for case, conv in talks:
        assert conv.case_id == case.id and conv.talk == case.channel.value
        assert len(conv.opening) == 2
        assert tuple(t.stage for t in conv.turns) == pack.replies.stages
        for turn in conv.turns:
            assert 3 <= len(turn.options) <= 4
            assert [o.id for o in turn.options] == list(LABELS[: len(turn.options)])
            assert sum(o.is_model for o in turn.options) == 1
            faults = [o.fault.code for o in turn.options if o.fault is not None]
            assert len(set(faults)) == len(faults)
            assert all(o.fault is pack.replies.faults[o.fault.code] for o in turn.options if o.fault)


def test_options_are_shuffled_and_both_sizes_occur(talks: list[Talk]) -> None:
    positions = {turn.model.id for _, conv in talks for turn in conv.turns}
    sizes = {len(turn.options) for _, conv in talks for turn in conv.turns}
    assert positions == set(LABELS) and sizes == {3, 4}


def test_after_a_fault_the_visitor_reacts_then_carries_on(talks: list[Talk], pack: Pack) -> None:
    for case, conv in talks:
        anonymous = case.reporter.name is None
        for turn in conv.turns:
            model = turn.model
            assert model.reaction
            for option in turn.options:
                if option.fault is None:
                    continue
                assert option.reaction[1:] == model.reaction
                table = pack.replies.reactions[option.fault.code]
                possible = {line for lines in table.values() for line in lines}
                assert option.reaction[0] in possible
                if not anonymous:
                    assert option.reaction[0] not in table.get("anonymous", ())


def test_the_same_case_gives_the_same_conversation(talks: list[Talk], pack: Pack) -> None:
    fresh = CaseGenerator(pack)
    for case, conv in talks[:40]:
        again = build_conversation(fresh, case)
        assert again.to_dict() == conv.to_dict()
        assert fresh.case(case.seed, case.index, case.level).to_dict() == case.to_dict()


def test_other_seeds_give_other_conversations(talks: list[Talk], generator: CaseGenerator) -> None:
    def body(conv: Conversation) -> str:
        data = conv.to_dict()
        del data["case_id"], data["seed"]
        return json.dumps(data, ensure_ascii=False)

    ours = {body(conv) for _, conv in talks}
    other = [build_conversation(generator, c) for c in generator.cases(SEED + 1, 100) if c.channel in SPOKEN]
    assert other and not ours & {body(conv) for conv in other}


def test_the_visitor_tells_the_cases_own_facts(talks: list[Talk], generator: CaseGenerator) -> None:
    for case, conv in talks[:60]:
        d = generator.draft(case.seed, case.index, case.level, history=generator.history(case.seed))
        static = [t.text for t in case.material.dialogue if t.speaker == "visitor" and t.stage == "facts"]
        facts_turn = next(t for t in conv.turns if t.stage == "facts")
        assert d.facts in static[0]
        assert d.facts in facts_turn.model.reaction[0]


def test_out_of_scope_model_names_the_handling_department(talks: list[Talk], pack: Pack) -> None:
    checked = 0
    for case, conv in talks:
        if case.truth.category is not Category.OUT_OF_SCOPE or Flag.REPEAT in case.truth.flags:
            continue
        handler = pack.jurisdiction.name(case.truth.route.unit)
        handle = next(t for t in conv.turns if t.stage == "handle")
        assert handler in handle.model.text, (case.id, handle.model.text)
        # a visitor or caller out of scope is told where to go (检举控告工作规则 不予受理的规定;
        # 信访工作条例 第二十三条第一款): the model reply does not promise to pass the matter on
        assert case.truth.route.action is RouteAction.ADVISE
        assert "反映" in handle.model.text
        assert "移交" not in handle.model.text and "转过去" not in handle.model.text
        for option in handle.options:
            if option.fault is not None and option.fault.code == "flat_refusal":
                assert handler not in option.text
        checked += 1
    assert checked >= 15


def test_appeals_and_suggestions_name_the_office_that_handles_them(talks: list[Talk], pack: Pack) -> None:
    for case, conv in talks:
        if (
            case.truth.category in (Category.APPEAL, Category.SUGGESTION)
            and Flag.REPEAT not in case.truth.flags
        ):
            handle = next(t for t in conv.turns if t.stage == "handle")
            assert pack.jurisdiction.name(case.truth.route.unit) in handle.model.text


def test_anonymous_visitors_are_not_pressed_for_a_name(talks: list[Talk], pack: Pack) -> None:
    identity = next(s for s in pack.stages if s.code == "identity")
    checked = 0
    for case, conv in talks:
        if case.reporter.name is not None:
            continue
        turn = next(t for t in conv.turns if t.stage == "identity")
        assert not any(word in turn.model.text for word in CONDITIONS), turn.model.text
        for option in turn.options:
            assert option.reaction[-1] in identity.visitor["anonymous"]
        for text in _texts(conv):
            # the named lines of dialogue.yaml give a name and a number; nothing of that kind here
            assert "我叫" not in text and not re.search(r"(?<!\d)1\d{10}(?!\d)", text), text
        checked += 1
    assert checked >= 20


def test_named_visitors_give_their_particulars(talks: list[Talk]) -> None:
    for case, conv in talks:
        if case.reporter.name is None:
            continue
        turn = next(t for t in conv.turns if t.stage == "identity")
        assert case.reporter.name in turn.model.reaction[0]


def test_no_slot_is_left_unfilled(talks: list[Talk]) -> None:
    for _, conv in talks:
        for text in _texts(conv):
            assert "{" not in text and "}" not in text, text
            assert not re.search(r"[a-z_]{4,}", text), text


def test_the_officer_never_names_the_reporter(talks: list[Talk]) -> None:
    for case, conv in talks:
        if case.reporter.name is None:
            continue
        for turn in conv.turns:
            assert all(case.reporter.name not in o.text for o in turn.options), (case.id, turn.stage)


def test_model_replies_promise_nothing(talks: list[Talk]) -> None:
    for _, conv in talks:
        for turn in conv.turns:
            assert not any(word in turn.model.text for word in PROMISES), turn.model.text


def test_every_fault_is_offered_somewhere(talks: list[Talk], pack: Pack) -> None:
    offered = {o.fault.code for _, conv in talks for t in conv.turns for o in t.options if o.fault}
    assert offered == set(pack.replies.faults)


def test_repeat_variant_only_when_the_visitor_says_so(
    talks: list[Talk], pack: Pack, generator: CaseGenerator
) -> None:
    repeat_turn = pack.replies.by_stage["handle"][0]
    assert {f.value for f in repeat_turn.when.flags_all} == {"repeat"}
    seen = set()
    for case, conv in talks:
        if Flag.REPEAT not in case.truth.flags:
            continue
        d = generator.draft(case.seed, case.index, case.level, history=generator.history(case.seed))
        lines = {o.text.format_map(d.slots) for o in repeat_turn.options}
        handle = next(t for t in conv.turns if t.stage == "handle")
        # easy and medium visitors say they reported before; at hard level only 查重 finds it
        assert (handle.model.text in lines) == (case.level is not Level.HARD), case.id
        seen.add(case.level)
    assert seen, "no repeat visit or call in the sample"


def test_public_turn_and_model_choices(talks: list[Talk], pack: Pack) -> None:
    names = {f.name for f in pack.replies.faults.values()} | set(pack.replies.faults)
    for _, conv in talks[:50]:
        choices = conv.model_choices()
        assert len(choices) == len(conv.turns)
        for index, turn in enumerate(conv.turns):
            public = conv.public_turn(index)
            assert set(public) == {"index", "stage", "options"}
            assert all(set(o) == {"id", "text"} for o in public["options"])
            dumped = json.dumps(public, ensure_ascii=False)
            assert not any(name in dumped for name in names)
            assert turn.option(choices[index]).is_model
            assert conv.reaction(index, choices[index]) == turn.model.reaction


def test_a_letter_has_no_conversation(generator: CaseGenerator) -> None:
    letter = next(c for c in generator.cases(SEED, 50) if c.channel is Channel.LETTER)
    with pytest.raises(GenerationError, match=re.escape(letter.id)) as info:
        build_conversation(generator, letter)
    assert "letter" in str(info.value)


def test_a_case_from_another_pack_version_is_refused(talks: list[Talk], generator: CaseGenerator) -> None:
    case = replace(talks[0][0], pack="default@0.0.1")
    with pytest.raises(GenerationError, match="default@0.0.1"):
        build_conversation(generator, case)
