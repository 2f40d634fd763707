"""Items per contestant: the same arguments give the same items; without variants everybody gets the
blueprint; equal-difficulty variants really share problem/defect types and levels; quiz variants shuffle
options without changing the right answer; dossiers can be asked for by defect type."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest

from toolkit.competition.items import (
    ItemRef,
    blueprint_signature,
    build_item,
    permuted,
    round_items,
    slot_of,
)
from toolkit.competition.model import CompetitionSpec, parse_rounds
from toolkit.domain.codes import Level
from toolkit.domain.dossier import Dossier
from toolkit.domain.models import Case
from toolkit.domain.quiz import LETTERS, Question, QuestionKind
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.dossiers import build_dossier
from toolkit.packs import Pack

SPEC = CompetitionSpec("周赛", "default", 2025, parse_rounds("intake:6,findings:4,quiz:12", "15,20,10"), True)
INTAKE, FINDINGS, QUIZ = 1, 2, 3
SLOTS = range(1, 7)


def answer_texts(q: Question) -> set[str]:
    """What the right answer says, whatever letter it sits under."""
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return {q.options[LETTERS.index(a)] for a in q.answer}
    return set(q.answer)


def built(
    gen: CaseGenerator, refs: tuple[ItemRef, ...]
) -> Iterator[tuple[ItemRef, Case | Dossier | Question]]:
    for ref in refs:
        yield ref, build_item(ref, gen)


@pytest.mark.parametrize("round_no", [INTAKE, FINDINGS])
def test_items_are_deterministic(pack: Pack, generator: CaseGenerator, round_no: int) -> None:
    for slot in (0, 3):
        refs = round_items(SPEC, generator, round_no, slot)
        again = round_items(SPEC, pack, round_no, slot)  # a fresh generator
        assert refs == again
        fresh = CaseGenerator(pack)
        assert [build_item(r, generator) for r in refs] == [build_item(r, fresh) for r in again]


def test_keys_positions_and_levels(generator: CaseGenerator) -> None:
    refs = round_items(SPEC, generator, INTAKE, 0)
    assert [r.key for r in refs] == [f"r1-0{i}" for i in range(1, 7)]
    assert [r.position for r in refs] == list(range(1, 7))
    assert [r.recipe["level"] for r in refs] == ["easy", "medium", "hard"] * 2
    for slot in SLOTS:
        assert [r.key for r in round_items(SPEC, generator, INTAKE, slot)] == [r.key for r in refs]


@pytest.mark.parametrize("round_no", [INTAKE, FINDINGS])
def test_without_variants_every_slot_gets_the_blueprint(generator: CaseGenerator, round_no: int) -> None:
    same = dataclasses.replace(SPEC, variants=False)
    blueprint = round_items(same, generator, round_no, 0)
    assert blueprint == round_items(SPEC, generator, round_no, 0)
    for slot in (1, 2, 17):
        assert round_items(same, generator, round_no, slot) == blueprint
    assert slot_of(same, 5) == 0 and slot_of(SPEC, 5) == 5


def test_equal_difficulty_intake_variants_share_problem_types_and_levels(generator: CaseGenerator) -> None:
    blueprint = dict(built(generator, round_items(SPEC, generator, INTAKE, 0)))
    seen_reporters: set[str] = set()
    for slot in SLOTS:
        for ref, case in built(generator, round_items(SPEC, generator, INTAKE, slot)):
            bp_ref = next(r for r in blueprint if r.key == ref.key)
            bp = blueprint[bp_ref]
            assert isinstance(case, Case) and isinstance(bp, Case)
            assert blueprint_signature(ref, case) == blueprint_signature(bp_ref, bp)
            assert case.level is bp.level and case.truth.problem_type == bp.truth.problem_type
            assert ref.recipe["seed"] != bp_ref.recipe["seed"] and case.id != bp.id
            assert case.material != bp.material
            matched = ref.recipe["matched"]
            assert matched[:2] == ("level", "problem_type")
            if "category" in matched:
                assert case.truth.category is bp.truth.category
            if "channel" in matched:
                assert case.channel is bp.channel
            seen_reporters.add(case.reporter.name or "")
    assert len(seen_reporters) > 6  # other people


def test_variant_cases_are_distinct_within_a_round(generator: CaseGenerator) -> None:
    for slot in SLOTS:
        refs = round_items(SPEC, generator, INTAKE, slot)
        assert len({r.recipe["index"] for r in refs}) == len(refs)


def test_equal_difficulty_findings_variants_share_defect_types_and_levels(generator: CaseGenerator) -> None:
    blueprint = dict(built(generator, round_items(SPEC, generator, FINDINGS, 0)))
    for bp_ref, bp in blueprint.items():
        assert isinstance(bp, Dossier)
        assert 1 <= len(bp.answer_key) <= 3
        assert sorted(p.defect for p in bp.answer_key) == list(bp_ref.recipe["types"])
    for slot in SLOTS:
        refs = round_items(SPEC, generator, FINDINGS, slot)
        assert len({r.recipe["index"] for r in refs}) == len(refs)
        for ref, dossier in built(generator, refs):
            bp_ref = next(r for r in blueprint if r.key == ref.key)
            bp = blueprint[bp_ref]
            assert isinstance(dossier, Dossier) and isinstance(bp, Dossier)
            assert blueprint_signature(ref, dossier) == blueprint_signature(bp_ref, bp)
            assert dossier.case_id != bp.case_id and dossier.id != bp.id
            assert ref.recipe["seed"] != bp_ref.recipe["seed"]


def test_build_dossier_plants_exactly_the_types_asked_for(generator: CaseGenerator) -> None:
    default = build_dossier(generator, 3, 4, defects=2, level=Level.HARD)
    types = [p.defect for p in default.answer_key]
    same = build_dossier(generator, 3, 4, level=Level.HARD, types=types)
    assert same.documents == default.documents and same.answer_key == default.answer_key
    assert same.id != default.id  # asked for by type: its own id
    planted = 0
    for index in range(12):
        one = [types[0]]
        try:
            dossier = build_dossier(generator, 7, index, level=Level.MEDIUM, types=one)
        except GenerationError as err:
            assert repr(types[0]) in str(err)
            continue
        assert [p.defect for p in dossier.answer_key] == one
        planted += 1
    assert planted


@pytest.mark.parametrize(
    ("types", "defects", "message"),
    [
        (["no_such_defect"], 0, "not in the catalogue"),
        (["notice_late", "notice_late"], 0, "once"),
        (["notice_late"], 2, "2 defect"),
    ],
)
def test_build_dossier_refuses_bad_types(
    generator: CaseGenerator, types: list[str], defects: int, message: str
) -> None:
    with pytest.raises(GenerationError, match=message):
        build_dossier(generator, 3, 4, defects=defects, types=types)


def test_refs_survive_json(generator: CaseGenerator) -> None:
    for round_no in (INTAKE, FINDINGS):
        for ref in round_items(SPEC, generator, round_no, 2):
            text = json.dumps(ref.to_dict())
            back = ItemRef.from_dict(json.loads(text))
            assert back == ref and hash(back) == hash(ref)
            with pytest.raises(TypeError):
                ref.recipe["seed"] = 1  # type: ignore[index]


def test_bad_rounds_and_slots(generator: CaseGenerator) -> None:
    with pytest.raises(GenerationError, match="rounds 1..3, not 4"):
        round_items(SPEC, generator, 4, 0)
    with pytest.raises(GenerationError, match="not -1"):
        round_items(SPEC, generator, 1, -1)


# -- quiz ------------------------------------------------------------------------------------------------


def test_a_permutation_moves_the_answer_letters_with_their_options() -> None:
    q = Question("q9", QuestionKind.MULTIPLE, "哪些?", ("甲", "乙", "丙", "丁"), ("A", "C"), "条例")
    p = permuted(q, [2, 0, 3, 1])
    assert p.options == ("丙", "甲", "丁", "乙")
    assert p.answer == ("A", "B")
    assert answer_texts(p) == answer_texts(q) == {"甲", "丙"}
    assert permuted(q, [0, 1, 2, 3]) is q and permuted(q, []) is q
    with pytest.raises(GenerationError):
        permuted(q, [0, 0, 1, 2])


def test_quiz_blueprint_mixes_bank_and_generated_questions(pack: Pack, generator: CaseGenerator) -> None:
    refs = round_items(SPEC, generator, QUIZ, 0)
    assert refs == round_items(SPEC, pack, QUIZ, 0)
    bank = [r for r in refs if "bank" in r.recipe]
    assert len(refs) == 12 and len(bank) == 9
    assert len({r.recipe["bank"] for r in bank}) == 9  # without replacement
    kinds = {build_item(r, generator).kind for r in bank}  # type: ignore[union-attr]
    assert len(kinds) >= 2  # spread over kinds
    for r in bank:
        assert list(r.recipe["perm"]) == sorted(r.recipe["perm"])  # the blueprint keeps the bank's order


def test_equal_difficulty_quiz_variants_shuffle_options_and_reseed_generators(
    generator: CaseGenerator,
) -> None:
    blueprint = dict(built(generator, round_items(SPEC, generator, QUIZ, 0)))
    shuffled = 0
    for slot in SLOTS:
        for ref, q in built(generator, round_items(SPEC, generator, QUIZ, slot)):
            bp_ref = next(r for r in blueprint if r.key == ref.key)
            bp = blueprint[bp_ref]
            assert isinstance(q, Question) and isinstance(bp, Question)
            assert blueprint_signature(ref, q) == blueprint_signature(bp_ref, bp)
            if "bank" in ref.recipe:
                assert q.id == bp.id and sorted(q.options) == sorted(bp.options)
                assert answer_texts(q) == answer_texts(bp)
                shuffled += q.options != bp.options
            else:
                assert ref.recipe["generator"] == bp_ref.recipe["generator"]
                assert ref.recipe["seed"] != bp_ref.recipe["seed"]
    assert shuffled
