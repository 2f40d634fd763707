"""replies.yaml: the shipped file meets the content floor; each kind of mistake names file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pack_edits
import pytest

from toolkit.domain.codes import Category, Conduct
from toolkit.errors import PackFileError, PackInvalid
from toolkit.packs import Pack, load_pack
from toolkit.packs.loader import DIALOGUE_SLOTS
from toolkit.packs.replies import ANONYMOUS, SLOTS, TALKS, TurnTemplate

REQUIRED_FAULTS = {
    "cold_reception",
    "interrupting",
    "dismissing_feelings",
    "not_recording",
    "promising_outcome",
    "prejudging",
    "leaking_identity",
    "flat_refusal",
    "forcing_name",
    "refer_to_accused",
}
#: the documents a fault may cite (titles as published, with the year)
DOCUMENTS = {
    "《信访工作条例》(2022)",
    "《纪检监察机关处理检举控告工作规则》(2020)",
    "《中国共产党纪律检查机关监督执纪工作规则》(2019)",
}
CONDITIONS = ("必须", "不然", "否则", "才能", "才给")


def _admitted(pack: Pack, template: TurnTemplate) -> list[tuple[str, str]]:
    talks = (template.when.talk,) if template.when.talk else TALKS
    temps = [t.code for t in pack.temperaments]
    if template.when.temperament is not None:
        temps = [t for t in temps if t in template.when.temperament]
    return [(talk, temp) for talk in talks for temp in temps]


# -- the shipped file -------------------------------------------------------------------------------------


def test_slots_are_the_dialogue_slots_and_the_handler() -> None:
    assert SLOTS == DIALOGUE_SLOTS | {"handler_name"}


def test_faults_cover_every_dimension_and_cite_real_documents(pack: Pack) -> None:
    faults = pack.replies.faults
    assert len(faults) >= 9
    assert REQUIRED_FAULTS <= set(faults)
    assert {f.dimension for f in faults.values()} == set(Conduct)
    for fault in faults.values():
        assert fault.name and len(fault.rule) >= 20
        for part in fault.source.split("；"):
            # each part names a published document, or says it is unverified practice, and the article
            assert any(part.startswith(d) for d in DOCUMENTS) or "unverified" in part, part
            assert re.search(r"第[一二三四五六七八九十]+条", part) or "unverified" in part, part


def test_every_turn_offers_two_model_lines_and_three_faults(pack: Pack) -> None:
    for i, template in enumerate(pack.replies.turns):
        for talk, temp in _admitted(pack, template):
            offer = template.offer(talk, temp)
            assert len(offer.models) >= 2, (i, template.stage, talk, temp)
            assert len({code for code, _ in offer.faulty}) >= 3, (i, template.stage, talk, temp)


def test_a_conversation_has_the_seven_stages(pack: Pack) -> None:
    assert pack.replies.stages == ("greet", "identity", "facts", "details", "demand", "handle", "close")


def test_every_category_has_its_own_handle_turn(pack: Pack) -> None:
    handle = pack.replies.by_stage["handle"]
    for category in Category:
        own = [
            t
            for t in handle
            if t.when.category == {category}
            and t.when.problem is None
            and not t.when.flags_all - {"real_name"}
        ]
        assert own, category
    for template in handle:
        if template.when.category and template.when.category & {
            Category.OUT_OF_SCOPE,
            Category.APPEAL,
            Category.SUGGESTION,
        }:
            models = [o.text for o in template.options if o.fault is None]
            assert all("{handler_name}" in text for text in models), template.when


def test_anonymous_visitors_get_their_own_identity_turn(pack: Pack) -> None:
    first = pack.replies.by_stage["identity"][0]
    assert {f.value for f in first.when.flags_all} == {"anonymous"}
    models = [o.text for o in first.options if o.fault is None]
    assert all(not any(word in text for word in CONDITIONS) for text in models)
    assert all("匿名" in text or "不留" in text for text in models)
    assert "forcing_name" in {o.fault for o in first.options}


def test_every_fault_has_reactions_for_every_temperament(pack: Pack) -> None:
    temperaments = {t.code for t in pack.temperaments}
    for code in pack.replies.faults:
        table = pack.replies.reactions[code]
        assert temperaments <= set(table) <= temperaments | {ANONYMOUS}
        assert all(len(lines) >= 2 for lines in table.values()), code


def test_openings_for_every_talk_and_temperament(pack: Pack) -> None:
    for talk in TALKS:
        assert set(pack.replies.opening[talk]) == {t.code for t in pack.temperaments}
        for opening in pack.replies.opening[talk].values():
            assert all(line.startswith("（") for line in opening.narration)


def test_officer_lines_never_use_the_reporters_name(pack: Pack) -> None:
    assert all("{reporter_name}" not in o.text for t in pack.replies.turns for o in t.options)


# -- mistakes in a copy of the pack -----------------------------------------------------------------------


def _edit(folder: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in replies.yaml; return the 1-based line where it starts."""
    return pack_edits.edit(folder, "replies.yaml", old, new)


def _problem(folder: Path) -> PackFileError:
    problems = pack_edits.problems(folder)
    mine = [p for p in problems if p.file == "replies.yaml"]
    assert len(mine) == 1, [p.describe() for p in problems]
    assert len(problems) == 1, [p.describe() for p in problems]
    return mine[0]


def _turn_index(text: str, marker: str) -> int:
    """Index in ``turns`` of the turn whose block contains ``marker``."""
    before = text[: text.index(marker)]
    return before[before.index("\nturns:") :].count("\n  - stage: ")


def test_unknown_fault_code(pack_copy: Path) -> None:
    line = _edit(
        pack_copy,
        '{fault: cold_reception, talk: visit, text: "（头也不抬）',
        '{fault: cold_welcome, talk: visit, text: "（头也不抬）',
    )
    problem = _problem(pack_copy)
    assert re.fullmatch(r"turns\[0\]\.options\[\d+\]\.fault", problem.field), problem.field
    assert problem.line == line
    assert "unknown fault 'cold_welcome'" in problem.message
    assert "replies.yaml:" in problem.describe()


def test_missing_reaction(pack_copy: Path) -> None:
    text = (pack_copy / "replies.yaml").read_text(encoding="utf-8")
    start = text.index("\nreactions:")
    angry = text.index("    angry:\n", start)
    end = text.index("    anxious:\n", angry)
    (pack_copy / "replies.yaml").write_text(text[:angry] + text[end:], encoding="utf-8")
    line = text[: text.index("  cold_reception:\n", start)].count("\n") + 1
    problem = _problem(pack_copy)
    assert problem.field == "reactions.cold_reception"
    assert problem.line == line
    assert "no lines for temperament(s) angry" in problem.message


def test_unknown_slot(pack_copy: Path) -> None:
    line = _edit(pack_copy, '"您好，快请坐。', '"{visitor_title}您好，快请坐。')
    problem = _problem(pack_copy)
    assert re.fullmatch(r"turns\[0\]\.options\[\d+\]\.text", problem.field), problem.field
    assert problem.line == line
    assert "unknown template slot(s) {visitor_title}" in problem.message


def test_accused_slot_in_a_turn_for_every_category(pack_copy: Path) -> None:
    line = _edit(pack_copy, '"说完了吧？说完了就回去', '"{accused_name}的事说完了吧？说完了就回去')
    problem = _problem(pack_copy)
    assert problem.field.endswith(".text") and problem.line == line
    assert "{accused_name}" in problem.message and "category [accusation]" in problem.message


def test_turn_with_too_few_faulty_lines(pack_copy: Path) -> None:
    path = pack_copy / "replies.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - stage: close\n")
    end = text.index("\nreactions:")
    block = re.sub(r"fault: \w+", "fault: cold_reception", text[start:end])
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    index = _turn_index(text, "  - stage: close\n")
    line = text[: text.index("    options:\n", start)].count("\n") + 1
    problem = _problem(pack_copy)
    assert problem.field == f"turns[{index}].options"
    assert problem.line == line
    assert "too few lines" in problem.message and "visit/calm (" in problem.message


def test_unknown_temperament_in_an_option(pack_copy: Path) -> None:
    line = _edit(
        pack_copy, 'temperament: [angry], text: "您好，看得出', 'temperament: [furious], text: "您好，看得出'
    )
    problem = _problem(pack_copy)
    assert re.fullmatch(r"turns\[0\]\.options\[\d+\]\.temperament", problem.field), problem.field
    assert problem.line == line
    assert "unknown temperament(s) furious" in problem.message


def test_new_stage_without_visitor_lines(pack_copy: Path) -> None:
    text = (pack_copy / "replies.yaml").read_text(encoding="utf-8")
    index = _turn_index(text, "  - stage: facts\n")
    line = _edit(pack_copy, "  - stage: facts\n", "  - stage: story\n")
    problem = _problem(pack_copy)
    assert problem.field == f"turns[{index}].stage"
    assert problem.line == line
    assert "'story' is not in dialogue.yaml" in problem.message


def test_a_category_without_a_handle_turn(pack_copy: Path) -> None:
    _edit(
        pack_copy,
        "    when: {category: [out_of_scope]}\n    visitor:",
        "    when: {category: [out_of_scope], talk: visit}\n    visitor:",
    )
    problem = _problem(pack_copy)
    assert problem.field == "turns"
    assert "no turn at stage 'handle' fits a out_of_scope item" in problem.message
    assert "phone" in problem.message


def test_unknown_dimension_is_a_schema_error(pack_copy: Path) -> None:
    line = _edit(
        pack_copy,
        "    dimension: warm\n    name: 态度冷淡生硬",
        "    dimension: warmth\n    name: 态度冷淡生硬",
    )
    problem = _problem(pack_copy)
    assert problem.field == "faults[0].dimension"
    assert problem.line == line
    assert "'warmth' is not one of: warm, listen, record, handle" in problem.message


def test_reactions_for_a_fault_that_does_not_exist(pack_copy: Path) -> None:
    line = _edit(pack_copy, "  refer_to_accused:\n    calm:", "  refer_to_boss:\n    calm:")
    with pytest.raises(PackInvalid) as info:
        load_pack(pack_copy)
    messages = {(p.field, p.line, p.message) for p in info.value.problems}
    assert ("reactions.refer_to_boss", line, "reactions for unknown fault 'refer_to_boss'") in messages
    assert any(m == "no reactions for fault(s) refer_to_accused" for _, _, m in messages)
