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
        return "notice" if kind.data == "acceptance" else "reply"
    return {
        DocumentType.REGISTRATION: "registration",
        DocumentType.ROUTING_SLIP: "routing",
        DocumentType.LEADER_INSTRUCTION: "instruction",
        DocumentType.REFERRAL_LETTER: "referral",
        DocumentType.VERIFICATION_REPORT: "verification",
        DocumentType.TALK_TRANSCRIPT: "transcript",
        DocumentType.INQUIRY_RECORD: "inquiry",
        DocumentType.EXTENSION_APPROVAL: "extension",
        DocumentType.CLOSING_REPORT: "closing",
        DocumentType.CLOSURE_NOTICE: "closure",
        DocumentType.DEPARTMENT_FEEDBACK: "dept_feedback",
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
        "close",
        None,
    }
    names = Counter(_name(doc) for d in files for doc in d.documents)
    assert set(names) == {
        "registration",
        "routing",
        "instruction",
        "referral",
        "notice",
        "extension",
        "verification",
        "transcript",
        "inquiry",
        "closing",
        "closure",
        "dept_feedback",
        "reply",
        "follow_up",
    }


def _commission_head(pack: Pack, dossier: Dossier) -> bool:
    reg = dossier.documents[0]
    box = reg.field("accused")
    return box is not None and any(c.name == box.data and "区纪委书记" in c.post for c in pack.cadres)


def _expected(pack: Pack, dossier: Dossier) -> list[str]:
    """The documents a correct file of this shape holds, in file order, from the rules: who accepts tells
    (检举控告工作规则 第十六条), a report for the level above goes to this commission's head first (第十五条),
    one about that head goes straight up; a talk leaves a transcript (监督执纪工作规则 第二十八条); a talk or
    inquiry ending in 了结 is told to the person (第三十条)."""
    category, action, real_name, disposal = _facts(dossier)
    docs = _docs(dossier)
    if action in (RouteAction.FILE, RouteAction.ADVISE):
        return ["registration", "routing"]
    if action is RouteAction.REPORT_UP:
        return [
            "registration",
            "routing",
            *([] if _commission_head(pack, dossier) else ["instruction"]),
            "referral",
        ]
    out = ["registration", "routing", "instruction"]
    if action is RouteAction.TRANSFER:
        return [*out, "referral", "dept_feedback"]
    if action is RouteAction.ASSIGN:
        if _box(dossier.documents[0], "dedupe"):  # a repeat passed down again: logged there with the original
            return [*out, "referral"]
        return [*out, "referral", "closing", *(["reply", "follow_up"] if real_name else [])]
    if category is Category.ACCUSATION:
        out += ["notice"] if real_name else []
        out += ["extension"] if "extension" in docs else []
        if disposal == "preliminary_verification":
            out.append("verification")
        elif disposal == "talk_inquiry":
            out += ["transcript", "inquiry"] if "transcript" in docs else ["inquiry"]
        out.append("closing")
        if "inquiry" in docs and _box(docs["inquiry"], "outcome") == "close":
            out.append("closure")
        return out + (["reply", "follow_up"] if real_name else [])
    out.append("closing")
    if category is Category.APPEAL:
        return [*out, "reply"]
    return out + (["reply"] if real_name else [])


def test_documents_per_route(files: list[Dossier], pack: Pack) -> None:
    for dossier in files:
        assert [_name(d) for d in dossier.documents] == _expected(pack, dossier), dossier.index
        assert [d.id for d in dossier.documents] == [f"d{i}" for i in range(1, len(dossier.documents) + 1)]


def test_transfers_copy_the_office_that_follows_the_department(files: list[Dossier], pack: Pack) -> None:
    """双向移交、单向反馈: transferred to the competent department, copied to the 纪检监察室 or 派驻纪检监察组
    that liaises with it, and the department reports back."""
    liaison = {code: o.code for o in pack.jurisdiction.offices for code in o.units}
    transfers = [d for d in files if _facts(d)[1] is RouteAction.TRANSFER]
    assert transfers
    for dossier in transfers:
        docs = _docs(dossier)
        department = _box(docs["referral"], "to")
        assert _box(docs["referral"], "copy_to") == liaison[department] != "u_xfj"
        assert _box(docs["routing"], "copy_to") == liaison[department]
        feedback = docs["dept_feedback"]
        assert _box(feedback, "unit") == department and _box(feedback, "to") == liaison[department]
        assert feedback.date > docs["referral"].date


def test_repeats_link_the_original_found_by_the_dedupe_search(files: list[Dossier]) -> None:
    repeats = [d for d in files if _box(d.documents[0], "dedupe")]
    assert repeats
    for dossier in repeats:
        reg = dossier.documents[0]
        assert _box(reg, "repeat_of") == _box(reg, "dedupe")
        action = _box(dossier.documents[1], "action")
        # logged and kept where this level accepts the matter (第十四条); sent on again where it belongs
        # above or below (第十五条、第十六条)
        assert action in ("file", "assign", "report_up")
        if action == "file":
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
        reg = docs["registration"]
        received = _day(reg, "received")
        if "notice" in docs:
            assert action is RouteAction.SELF and category is Category.ACCUSATION
            assert docs["notice"].date <= rules.deadline("acceptance_notice").due(received, cal)
        if action is RouteAction.REPORT_UP:
            assert docs["referral"].date <= rules.deadline("report_up").due(received, cal)
        if action is RouteAction.SELF and category is Category.ACCUSATION:
            assert docs["instruction"].date <= rules.deadline("disposal_plan").due(received, cal)
            close = rules.deadline("lead_close")
            assert docs["closing"].date <= close.due(received, cal, extended="extension" in docs)
            if "extension" in docs:
                ext = docs["extension"]
                assert ext.date <= close.due(received, cal) < docs["closing"].date
                assert _day(ext, "new_due") == close.due(received, cal, extended=True)
        if action is RouteAction.ASSIGN and "closing" in docs:
            letter = docs["referral"]
            assert _day(letter, "due") == rules.deadline("assign_report").due(letter.date, cal)
            assert docs["closing"].date <= _day(letter, "due")
        if "reply" in docs and category is Category.ACCUSATION:
            due = rules.deadline("result_feedback").due(docs["closing"].date, cal)
            assert docs["reply"].date <= due
        if "inquiry" in docs and _box(docs["inquiry"], "way") == "letter":
            inquiry = docs["inquiry"]
            got, explained = _day(inquiry, "inquiry_received"), _day(inquiry, "explained")
            # 15 working days from receiving the letter, not from sending it
            assert _day(inquiry, "sent") <= got <= explained <= rules.deadline("inquiry_reply").due(got, cal)
            assert inquiry.date <= rules.deadline("inquiry_report").due(explained, cal)
        if "transcript" in docs:
            talked = docs["transcript"].date
            assert docs["inquiry"].date <= rules.deadline("inquiry_report").due(talked, cal)
        if category is Category.APPEAL:
            problem = _box(reg, "problem")
            code = {
                "discipline_appeal": "discipline_appeal_close",
                "accountability_appeal": "accountability_appeal_decision",
                "supervision_review": "supervision_review_decision",
            }[problem]
            rule = rules.deadline(code)
            start = _day(docs["routing"], "accepted") if rule.start.value == "accepted" else received
            assert docs["closing"].date <= rule.due(start, cal)


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
            outgoing = (
                doc.type is DocumentType.CLOSURE_NOTICE
                or (doc.type is DocumentType.INQUIRY_RECORD and _box(doc, "way") == "letter")
                or (doc.type is DocumentType.REFERRAL_LETTER and action is not RouteAction.TRANSFER)
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


def _reports(files: list[Dossier]) -> list[Document]:
    """Verification reports, and the town commissions' reports on items assigned to them."""
    out = []
    for dossier in files:
        docs = _docs(dossier)
        if "verification" in docs:
            out.append(docs["verification"])
        elif _facts(dossier)[1] is RouteAction.ASSIGN and "closing" in docs:
            out.append(docs["closing"])
    return out


def test_proposals_fit_what_was_proved(files: list[Dossier]) -> None:
    """What a verification proposes follows what it proved (监督执纪工作规则 第三十五条; the pack's table:
    nothing proved → 了结; 3万元 or more → 拟立案; 5000元 or more → 诫勉; everything proved, small → 批评教育;
    part proved, small → 谈话提醒)."""
    reports = _reports(files)
    assert len(reports) > 30
    seen = set()
    for doc in reports:
        verdicts = [v.split(":")[1] for v in _box(doc, "verdicts").split(",")]
        proved = [v for v in verdicts if v != "unsubstantiated"]
        amount = int(_box(doc, "proved")) if doc.field("proved") is not None else 0
        if not proved:
            want = "close"
        elif amount >= 30000:
            want = "file_case"
        elif amount >= 5000:
            want = "admonition"
        elif len(proved) == len(verdicts):
            want = "criticism"
        else:
            want = "talk_reminder"
        got = _box(doc, "proposal") if doc.type is DocumentType.VERIFICATION_REPORT else _box(doc, "result")
        assert got == want, (doc.title, verdicts, amount, got)
        seen.add(want)
        assert not (amount >= 100000 and got == "talk_reminder")
    assert seen >= {"close", "file_case", "admonition", "talk_reminder"}


#: posts of heads of a Party committee (group) in the default roster
PRINCIPAL_POSTS = (
    "区委书记",
    "局长",
    "院长",
    "党委书记",
    "党工委书记",
    "党支部书记",
    "区委常委、政法委书记",
    "区委常委、区纪委书记、区监委主任",
)


def test_inquiry_replies_are_endorsed_by_the_head_or_sent_directly(
    generator: CaseGenerator, pack: Pack
) -> None:
    """监督执纪工作规则 第二十九条: the explanation is endorsed by the head of the person's Party committee;
    a head replies directly."""
    letters = 0
    for dossier in dossiers(generator, SEED + 3, 1500, defects=0):
        docs = _docs(dossier)
        if "inquiry" not in docs or _box(docs["inquiry"], "way") != "letter":
            continue
        letters += 1
        reg = docs["registration"]
        post, unit = _box(reg, "accused_post"), _box(reg, "accused_unit")
        endorser = _box(docs["inquiry"], "endorser")
        if post in PRINCIPAL_POSTS:
            assert endorser == "direct", dossier.index
        else:
            head = next(c for c in pack.cadres if c.unit == unit and c.post in PRINCIPAL_POSTS)
            assert endorser == head.name, dossier.index
    assert letters > 10


def test_talks_leave_a_transcript_signed_by_the_person(files: list[Dossier]) -> None:
    """监督执纪工作规则 第二十八条: a talk by the office's head, recorded in a transcript (signed by the
    person talked to, as transcripts are)."""
    talks = [d for d in files if "transcript" in _docs(d)]
    assert talks
    for dossier in talks:
        docs = _docs(dossier)
        transcript = docs["transcript"]
        assert _box(transcript, "signature") == _box(docs["registration"], "accused")
        talker = transcript.field("talker")
        assert talker is not None and talker.value.endswith(("主任)", "组长)"))


def test_a_talk_or_inquiry_ending_in_closure_is_told_in_writing(files: list[Dossier]) -> None:
    """监督执纪工作规则 第三十条: 予以采信了结的，向被谈话函询人发函反馈."""
    closed = [d for d in files if "inquiry" in _docs(d) and _box(_docs(d)["inquiry"], "outcome") == "close"]
    assert closed
    for dossier in closed:
        docs = _docs(dossier)
        letter = docs["closure"]
        assert _box(letter, "accused") == _box(docs["registration"], "accused")
        assert letter.date >= docs["closing"].date


def test_items_for_the_level_above_go_to_this_commissions_head_first(
    generator: CaseGenerator, pack: Pack
) -> None:
    """检举控告工作规则 第十五条: 径送本机关主要负责人 and send up in 5 working days; about that head himself,
    straight to the level above."""
    head = next(c for c in pack.cadres if "区纪委书记" in c.post)
    seen = {"up": 0, "head": 0}
    for dossier in dossiers(generator, SEED + 7, 900, defects=0):
        docs = _docs(dossier)
        if _facts(dossier)[1] is not RouteAction.REPORT_UP:
            continue
        if _box(docs["registration"], "accused") == head.name:
            seen["head"] += 1
            assert "instruction" not in docs and "径送" in docs["routing"].paragraphs[0]
        else:
            seen["up"] += 1
            assert _box(docs["instruction"], "signer") == head.name
    assert seen["up"] > 5


def test_appeal_decisions_are_served_without_a_petition_review(files: list[Dossier]) -> None:
    """Appeals run under their own rules: the decision is served on the appellant (第五十九条; 实施条例
    第二百一十一条); no 信访 复查 is offered; a 复审 decision tells of the 复核 at the level above."""
    appeals = [d for d in files if _facts(d)[0] is Category.APPEAL]
    assert appeals
    for dossier in appeals:
        docs = _docs(dossier)
        reply = docs["reply"]
        text = _everything(reply)
        assert _box(reply, "kind") == "decision"
        assert "请求复查" not in text and "30日内" not in text
        if _box(docs["registration"], "problem") == "supervision_review":
            assert "复核" in text and "一个月内" in text


def test_clean_dossiers_carry_no_unplanted_fault_a_reviewer_could_mark(
    files: list[Dossier], generator: CaseGenerator, pack: Pack
) -> None:
    """The checker finds nothing in a clean file (above); the judgement type (a wrong problem type) is
    checked against the case's own key."""
    for dossier in files:
        truth = generator.case(dossier.seed, dossier.index, dossier.level).truth
        reg = _docs(dossier)["registration"]
        assert _box(reg, "problem") == truth.problem_type
        assert _box(reg, "category") == truth.category.value


#: 提级办理 thresholds from the rules' text: 贪污/受贿 数额较大 3万元 (两高解释(2016) 第一条第一款), 特定款物
#: (救灾、优抚、扶贫、救济…) 1万元 (第一条第二款第(一)项)
CRIME_THRESHOLDS = {"compensation_embezzle": 30000, "kickbacks": 30000, "relief_funds": 10000}


def test_a_file_assigned_down_lists_no_sums_that_would_call_for_escalation(generator: CaseGenerator) -> None:
    """A village or town file the key assigns down (交办) must not list matters whose sums together reach the
    职务犯罪 threshold: a reviewer reading the 登记表 would rightly say it should have been 提级办理
    (监察法实施条例(2021) 第十三条第二款)."""
    seen = 0
    for index in range(2000):
        case = generator.case(SEED, index, Level.EASY)
        threshold = CRIME_THRESHOLDS.get(case.truth.problem_type)
        if threshold is None or case.truth.route.action is not RouteAction.ASSIGN:
            continue
        registration = build_dossier(generator, SEED, index, defects=0, level=Level.EASY).documents[0]
        listed = " ".join(f.value for f in registration.fields if f.key == "items")
        sums = [int(x) for x in re.findall(r"(\d+)元", listed)]
        assert sum(sums) < threshold, (case.id, sums)
        seen += 1
    assert seen >= 30, seen
