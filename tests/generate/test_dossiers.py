"""Correct dossiers: the documents each route calls for, dates in order and within the pack's limits, no
reporter identity in letters to the accused's side, item-by-item answers, a silent checker, determinism
and a public view that gives nothing away. Limits are recomputed here from the pack's rules."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from typing import Any

import pytest

from toolkit.domain.codes import Category, DocumentType, Level, RouteAction
from toolkit.domain.dossier import Document, Dossier
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.checker import check_dossier
from toolkit.generate.dossiers import build_dossier, dossiers
from toolkit.packs import Pack, load_pack

SEED = 20251001
N = 300
CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日")


@pytest.fixture(scope="module")
def files(generator: CaseGenerator) -> list[Dossier]:
    return list(dossiers(generator, SEED, N, defects=0))


def _name(doc: Document) -> str:
    """A short name for a document, told apart as a reader would (reply records by what they tell)."""
    if doc.type is DocumentType.REPLY_RECORD:
        kind = doc.field("kind")
        assert kind is not None
        return "notice" if kind.data in ("acceptance", "transfer") else "reply"
    return {
        DocumentType.REGISTRATION: "registration",
        DocumentType.ROUTING_SLIP: "routing",
        DocumentType.LEADER_INSTRUCTION: "instruction",
        DocumentType.REFERRAL_LETTER: "referral",
        DocumentType.VERIFICATION_REPORT: "verification",
        DocumentType.INQUIRY_RECORD: "inquiry",
        DocumentType.EXTENSION_APPROVAL: "extension",
        DocumentType.CLOSING_REPORT: "closing",
        DocumentType.FOLLOW_UP_RECORD: "follow_up",
    }[doc.type]


def _box(doc: Document, key: str) -> Any:
    box = doc.field(key)
    assert box is not None, (doc.title, key)
    return box.data


def _day(doc: Document, key: str) -> date:
    return date.fromisoformat(_box(doc, key))


def _docs(dossier: Dossier) -> dict[str, Document]:
    out = {_name(d): d for d in dossier.documents}
    assert len(out) == len(dossier.documents), [d.title for d in dossier.documents]
    return out


def _facts(dossier: Dossier) -> tuple[Category, RouteAction, bool, str | None]:
    docs = _docs(dossier)
    reg, routing = docs["registration"], docs["routing"]
    return (
        Category(_box(reg, "category")),
        RouteAction(_box(routing, "action")),
        _box(reg, "mode") == "real_name",
        routing.field("disposal").data if routing.field("disposal") is not None else None,
    )


def test_correct_dossiers_are_clean_for_the_checker(files: list[Dossier], pack: Pack) -> None:
    for dossier in files:
        assert dossier.answer_key == ()
        assert check_dossier(dossier, pack) == [], dossier.index


def test_the_sample_covers_every_route_category_and_disposal(files: list[Dossier]) -> None:
    facts = [_facts(d) for d in files]
    assert {a for _, a, _, _ in facts} == set(RouteAction)
    assert {c for c, _, _, _ in facts} == set(Category)
    assert {d for _, a, _, d in facts if a is RouteAction.SELF} >= {
        "preliminary_verification",
        "talk_inquiry",
        "hold",
        None,
    }
    names = Counter(_name(doc) for d in files for doc in d.documents)
    assert set(names) == {
        "registration",
        "routing",
        "instruction",
        "referral",
        "notice",
        "verification",
        "inquiry",
        "extension",
        "closing",
        "reply",
        "follow_up",
    }


def _expected(dossier: Dossier) -> list[str]:
    """The documents a correct file of this shape holds, in file order (as the module docstring says)."""
    category, action, real_name, disposal = _facts(dossier)
    docs = _docs(dossier)
    if action is RouteAction.FILE:
        return ["registration", "routing"]
    out = ["registration", "routing", "instruction"]
    if action in (RouteAction.REPORT_UP, RouteAction.TRANSFER):
        return [*out, "referral", *(["notice"] if real_name else [])]
    if action is RouteAction.ASSIGN:
        out += ["referral", *(["notice"] if real_name else []), "closing"]
        return out + (["reply", "follow_up"] if real_name else [])
    out += ["notice"] if real_name else []
    if category is Category.ACCUSATION:
        out += {"preliminary_verification": ["verification"], "talk_inquiry": ["inquiry"]}.get(
            disposal or "", []
        )
    elif "extension" in docs:
        out.append("extension")
    out.append("closing")
    return out + (["reply", "follow_up"] if real_name else [])


def test_documents_per_route(files: list[Dossier]) -> None:
    for dossier in files:
        assert [_name(d) for d in dossier.documents] == _expected(dossier), dossier.index
        assert [d.id for d in dossier.documents] == [f"d{i}" for i in range(1, len(dossier.documents) + 1)]


def test_transfers_copy_the_office_rules_yaml_names(files: list[Dossier], pack: Pack) -> None:
    copy_to = pack.rules.routing["out_of_scope"].copy_to
    transfers = [d for d in files if _facts(d)[1] is RouteAction.TRANSFER]
    assert transfers
    for dossier in transfers:
        docs = _docs(dossier)
        assert _box(docs["referral"], "copy_to") == copy_to
        assert _box(docs["routing"], "copy_to") == copy_to


def test_repeats_link_the_original_found_by_the_dedupe_search(files: list[Dossier]) -> None:
    repeats = [d for d in files if _box(d.documents[0], "dedupe")]
    assert repeats
    for dossier in repeats:
        reg = dossier.documents[0]
        assert _box(reg, "repeat_of") == _box(reg, "dedupe")
        assert _box(dossier.documents[1], "action") == "file"
        assert "留存备查" in dossier.documents[1].paragraphs[0]


def test_dates_never_go_back_in_file_order(files: list[Dossier]) -> None:
    for dossier in files:
        days = [d.date for d in dossier.documents]
        assert all(d is not None for d in days)
        assert days == sorted(days), (dossier.index, days)
        received = _day(dossier.documents[0], "received")
        assert received <= dossier.documents[0].date


def test_every_time_limit_is_met(files: list[Dossier], pack: Pack) -> None:
    cal, rules = pack.calendar, pack.rules
    for dossier in files:
        docs = _docs(dossier)
        category, action, real_name, disposal = _facts(dossier)
        received = _day(docs["registration"], "received")
        if "notice" in docs:
            code = (
                "transfer"
                if action is RouteAction.TRANSFER
                else "acceptance_notice"
                if category is Category.ACCUSATION
                else "petition_acceptance_notice"
            )
            assert docs["notice"].date <= rules.deadline(code).due(received, cal)
        if action in (RouteAction.REPORT_UP, RouteAction.TRANSFER):
            due = rules.deadline(action.value).due(received, cal)
            assert docs["referral"].date <= due
        if action is RouteAction.SELF and category is Category.ACCUSATION:
            due = rules.deadline("disposal_plan").due(received, cal)
            assert docs["instruction"].date <= due
        if action is RouteAction.ASSIGN:
            assert docs["closing"].date <= _day(docs["referral"], "due")
        if "reply" in docs and category is Category.ACCUSATION:
            due = rules.deadline("result_feedback").due(docs["closing"].date, cal)
            assert docs["reply"].date <= due
        if "inquiry" in docs:
            inquiry = docs["inquiry"]
            sent, explained = _day(inquiry, "sent"), _day(inquiry, "explained")
            assert sent <= explained <= rules.deadline("inquiry_reply").due(sent, cal)
        if action is RouteAction.SELF and category in (Category.APPEAL, Category.SUGGESTION):
            close = rules.deadline("petition_close")
            accepted = _day(docs["routing"], "accepted")
            extended = "extension" in docs
            due = close.due(accepted, cal, extended=extended)
            assert docs["closing"].date <= due
            if "reply" in docs:
                assert docs["reply"].date <= due
            if extended:
                ext = docs["extension"]
                original = close.due(accepted, cal)
                assert ext.date <= original < docs["closing"].date
                assert _day(ext, "new_due") == due
                assert _day(ext, "orig_due") == original
                assert ext.date <= _day(ext, "notified")


def _everything(doc: Document) -> str:
    return "\n".join(
        [doc.title, *(f.value for f in doc.fields), *(str(f.data) for f in doc.fields), *doc.paragraphs]
    )


def test_letters_to_the_accused_side_never_name_the_reporter(files: list[Dossier]) -> None:
    checked = 0
    for dossier in files:
        reg = dossier.documents[0]
        name, phone = _box(reg, "reporter"), _box(reg, "phone")
        if not name:
            continue
        action = _facts(dossier)[1]
        for doc in dossier.documents:
            outgoing = doc.type is DocumentType.INQUIRY_RECORD or (
                doc.type is DocumentType.REFERRAL_LETTER and action is not RouteAction.TRANSFER
            )
            if outgoing:
                checked += 1
                text = _everything(doc)
                assert name not in text and phone not in text, (dossier.index, doc.title)
    assert checked > 20


def test_items_are_listed_and_answered_one_by_one(files: list[Dossier]) -> None:
    verified = 0
    for dossier in files:
        docs = _docs(dossier)
        reg = docs["registration"]
        numbers = _box(reg, "items").split(",")
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
        listed = reg.field("items")
        assert listed is not None and listed.value.count("\n") == len(numbers) - 1
        if _box(reg, "category") == "accusation" and _box(reg, "assessment") == "substantive":
            assert 2 <= len(numbers) <= 4, dossier.index
        for name in ("verification", "inquiry"):
            if name in docs:
                verified += 1
                assert _box(docs[name], "items").split(",") == numbers
                for n in numbers:
                    assert any(f"第{n}项" in p or p.startswith(f"{n}. ") for p in docs[name].paragraphs)
    assert verified > 20


def test_documents_render_readably(files: list[Dossier]) -> None:
    for dossier in files:
        for doc in dossier.documents:
            assert doc.title and doc.fields
            assert all(f.label and f.key for f in doc.fields)
            assert doc.date is not None
            date_box = doc.field("date")
            assert date_box is not None and date_box.data == doc.date.isoformat()
            for f in doc.fields:
                if f.data and re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.data):
                    m = CN_DATE.match(f.value) or re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", f.value)
                    assert m is not None, f
                    assert date(*map(int, m.groups())) == date.fromisoformat(f.data)
            text = _everything(doc)
            assert "{" not in text and "}" not in text, doc.title
            assert re.search(r"[\u4e00-\u9fff]", doc.title)


def test_the_same_seed_gives_the_same_dossiers(pack: Pack) -> None:
    first = [build_dossier(CaseGenerator(pack), SEED, i, defects=2).to_dict() for i in range(8)]
    again = [build_dossier(CaseGenerator(pack), SEED, i, defects=2).to_dict() for i in range(8)]
    assert first == again
    other = [build_dossier(CaseGenerator(pack), SEED + 1, i, defects=2).to_dict() for i in range(8)]
    assert other != first


def test_a_dossier_is_about_its_case(generator: CaseGenerator) -> None:
    for index in range(6):
        dossier = build_dossier(generator, SEED, index, level=Level.HARD)
        case = generator.case(SEED, index, Level.HARD)
        assert dossier.case_id == case.id and dossier.seed == SEED and dossier.index == index
        assert dossier.pack == case.pack
        reg = dossier.documents[0]
        assert _day(reg, "received") == case.received_at.date()
        assert _box(reg, "category") == case.truth.category.value
        assert _box(dossier.documents[1], "action") == case.truth.route.action.value
        assert _box(dossier.documents[1], "unit") == case.truth.route.unit


def test_the_public_view_gives_nothing_away(generator: CaseGenerator) -> None:
    for index in range(12):
        dossier = build_dossier(generator, SEED, index, defects=index % 3)
        public = dossier.public_dict()
        assert set(public) == {"id", "pack", "level", "documents"}
        text = json.dumps(public, ensure_ascii=False)
        for secret in (str(SEED), dossier.case_id, "answer_key", "seed", "case_id"):
            assert secret not in text
        for planted in dossier.answer_key:
            assert planted.note not in text
        assert re.fullmatch(r"dossier-[0-9a-f]{12}", dossier.id)
        assert [d["id"] for d in public["documents"]] == [
            f"d{i}" for i in range(1, len(public["documents"]) + 1)
        ]
        assert Dossier.from_dict(json.loads(json.dumps(dossier.to_dict()))) == dossier


def test_ids_differ_by_defect_count_and_level(generator: CaseGenerator) -> None:
    ids = {build_dossier(generator, SEED, 3, defects=k, level=level).id for k in (0, 1, 2) for level in Level}
    assert len(ids) == 9


def test_levels_rotate_like_cases(generator: CaseGenerator) -> None:
    made = list(dossiers(generator, SEED, 6, defects=1, start=3))
    assert [d.index for d in made] == [3, 4, 5, 6, 7, 8]
    assert [d.level for d in made] == [Level.EASY, Level.MEDIUM, Level.HARD] * 2
    assert all(d.level is Level.HARD for d in dossiers(generator, SEED, 3, defects=0, level=Level.HARD))


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda g: build_dossier(g, -1, 0), "seed"),
        (lambda g: build_dossier(g, 1, 0, defects=-2), "defects"),
        (lambda g: list(dossiers(g, 1, -1, defects=0)), "count"),
    ],
)
def test_bad_requests_are_generation_errors(generator: CaseGenerator, call: Any, needle: str) -> None:
    with pytest.raises(GenerationError, match=needle):
        call(generator)


def test_another_pack_folder_gives_the_same_files(pack_copy: Any, pack: Pack) -> None:
    copy = CaseGenerator(load_pack(pack_copy))
    assert (
        build_dossier(copy, SEED, 5, defects=3).to_dict()
        == build_dossier(CaseGenerator(pack), SEED, 5, defects=3).to_dict()
    )
