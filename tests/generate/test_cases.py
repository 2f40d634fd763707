"""Invariants over 5,000 generated cases, checked independently of the generator's own code paths."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import chinese_calendar
import jsonschema
import pytest

from toolkit.domain.codes import Level
from toolkit.generate.batch import case_json
from toolkit.generate.cases import UNSPECIFIED, CaseGenerator
from toolkit.generate.ids import id_birth_date, id_number_valid, id_sex
from toolkit.packs import Pack

N = 5000
SEED = 20250926


@pytest.fixture(scope="module")
def cases(generator: CaseGenerator) -> list[dict[str, Any]]:
    return [json.loads(case_json(c)) for c in generator.cases(SEED, N)]


@pytest.fixture(scope="module")
def history(generator: CaseGenerator) -> dict[str, Any]:
    return {h.id: h for h in generator.history(SEED)}


def _seen(case: dict[str, Any]) -> str:
    """Everything the learner can read, as one string."""
    m = case["material"]
    parts = [m["title"], m["text"], *(t["text"] for t in m["dialogue"])]
    parts += [f["value"] for f in m["form"]] + [f["value"] for f in m["slip"]] + m["notes"]
    return "\n".join(parts)


def test_every_line_validates_against_the_shipped_schema(cases: list[dict[str, Any]]) -> None:
    schema = json.loads(resources.files("toolkit.schemas").joinpath("case.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for case in cases:
        errors = list(validator.iter_errors(case))
        assert not errors, (case["id"], [e.message for e in errors[:3]])


def test_the_mix_covers_every_channel_category_flag_and_level(cases: list[dict[str, Any]]) -> None:
    channels = Counter(c["channel"] for c in cases)
    categories = Counter(c["truth"]["category"] for c in cases)
    flags = Counter(f for c in cases for f in c["truth"]["flags"])
    actions = Counter(c["truth"]["route"]["action"] for c in cases)
    assert set(channels) == {"letter", "visit", "phone", "online", "forwarded"}
    assert set(categories) == {"accusation", "appeal", "suggestion", "out_of_scope"}
    assert set(flags) == {"real_name", "anonymous", "repeat", "no_substance", "impersonation"}
    assert set(actions) == {"self", "assign", "report_up", "transfer", "advise", "file"}
    assert Counter(c["level"] for c in cases) == {"easy": N // 3 + 1, "medium": N // 3 + 1, "hard": N // 3}
    # shares follow pack.yaml's mix (accusation weight 62 of 100, and every forwarded item), within noise
    assert 0.60 < categories["accusation"] / N < 0.72
    # items about city-managed cadres (区委常委, 区长, 副区长, 人大政协主要领导) are a few in a hundred
    assert actions["report_up"] / N > 0.02
    # the level above forwards many items it was sent before (安宁区 2016: 18 of 35)
    forwarded = [c for c in cases if c["channel"] == "forwarded"]
    assert 0.35 < sum("repeat" in c["truth"]["flags"] for c in forwarded) / len(forwarded) < 0.6


def test_id_numbers_are_valid_and_agree_with_the_person(cases: list[dict[str, Any]]) -> None:
    named = [c["reporter"] for c in cases if c["reporter"]["name"] is not None]
    assert len(named) > N // 2
    for r in named:
        number = r["id_number"]
        assert id_number_valid(number), number
        assert id_birth_date(number).isoformat() == r["birth_date"]
        assert id_sex(number).value == r["sex"]
        assert re.fullmatch(r"1\d{10}", r["phone"])


def test_dates_are_in_order(pack: Pack, cases: list[dict[str, Any]], history: dict[str, Any]) -> None:
    lo, hi = pack.received_window
    for c in cases:
        received = datetime.fromisoformat(c["received_at"])
        day = received.date()
        assert received.utcoffset() == timedelta(hours=8)
        assert lo <= day <= hi + timedelta(days=10), c["id"]
        if c["channel"] != "online":
            assert chinese_calendar.is_workday(day), (c["id"], "offices receive on working days")
        for due in c["truth"]["due"].values():
            assert date.fromisoformat(due) >= day
        if c["truth"]["repeat_of"]:
            assert history[c["truth"]["repeat_of"]].received < day
        dates = [
            date(*map(int, w)) for w in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", c["material"]["text"])
        ]
        assert all(when <= day for when in dates), c["id"]
        if c["channel"] in ("letter", "forwarded") and dates:
            assert max(dates) == dates[-1], (c["id"], "events come before the day the letter is dated")
        if c["channel"] == "forwarded":
            slip = {f["label"]: f["value"] for f in c["material"]["slip"]}
            sent = date(*map(int, re.findall(r"\d+", slip["转送日期"])))
            assert sent < day and slip["签收日期"] == f"{day.year}年{day.month}月{day.day}日"
            *_, written = re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", c["material"]["text"])
            assert date(*map(int, written)) < sent, (c["id"], "the letter is written before it is forwarded")


@cache
def _add_working_days(start: date, n: int) -> date:
    """Independent of WorkCalendar: walk day by day with the holiday library."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def _roll(day: date) -> date:
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def _add_month(day: date) -> date:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    last = (date(nxt.year + nxt.month // 12, nxt.month % 12 + 1, 1) - timedelta(days=1)).day
    return nxt.replace(day=min(day.day, last))


def _amount(c: dict[str, Any]) -> int | None:
    """The sum the material reports (the facts write it as digits before 元)."""
    sums = [int(x) for x in re.findall(r"(\d+)元", _seen(c))]
    return max(sums) if sums else None


def _expected_due(c: dict[str, Any]) -> dict[str, str]:
    """The intake time limits, written out by hand from the rules' texts (not from rules.yaml's code):

    - 检举控告工作规则: 属于本机关受理的实名检举控告 15 working days to tell the reporter (none for a
      repeat, and none where this commission does not accept: reported up or passed down, 第十五条/第十六条);
      报送上级 within 5 working days (第十五条); an item forwarded from above accepted or passed on within 5
      working days (第十六条).
    - 监督执纪工作规则 第二十一条: the disposal proposal within 1 month of receiving a lead handled here.
    - 问责申诉: decided within 1 month of receipt; 监察法 第五十六条: 复审 decided within 1 month.
    Calendar and month limits roll off a holiday (the general rule on periods).
    """
    t, day = c["truth"], datetime.fromisoformat(c["received_at"]).date()
    flags, action, category = set(t["flags"]), t["route"]["action"], t["category"]
    due: dict[str, date] = {}
    if (
        category == "accusation"
        and action == "self"
        and "real_name" in flags
        and not flags & {"repeat", "no_substance", "impersonation"}
    ):
        due["acceptance_notice"] = _add_working_days(day, 15)
    if action == "report_up":
        due["report_up"] = _add_working_days(day, 5)
    if c["channel"] == "forwarded":
        due["forwarded_disposition"] = _add_working_days(day, 5)
    if category == "accusation" and action == "self" and not flags & {"repeat", "no_substance"}:
        due["disposal_plan"] = _roll(_add_month(day))
    if t["problem_type"] == "accountability_appeal":
        due["accountability_appeal_decision"] = _roll(_add_month(day))
    if t["problem_type"] == "supervision_review":
        due["supervision_review_decision"] = _roll(_add_month(day))
    if category == "suggestion" and c["channel"] == "forwarded" and "real_name" in flags:
        due["petition_acceptance_notice"] = _roll(day + timedelta(days=15))
    return {k: v.isoformat() for k, v in due.items()}


def test_due_dates_equal_the_rules_recomputed(cases: list[dict[str, Any]]) -> None:
    for c in cases:
        assert c["truth"]["due"] == _expected_due(c), c["id"]


#: problem types whose sums mean a suspected crime the town commission cannot investigate, and from which sum
#: (两高 2016 解释 第一条: 贪污、受贿 三万元 数额较大; 救济等特定款物 一万元)
CRIME_FROM = {"compensation_embezzle": 30000, "kickbacks": 30000, "relief_funds": 10000}


def _expected_route(pack: Pack, c: dict[str, Any]) -> dict[str, Any]:
    """Where the item goes, written out by hand from the rules' texts and the jurisdiction's tables."""
    j = pack.jurisdiction
    liaison = {code: o.code for o in j.offices for code in (*o.liaises, *o.units)}
    t = c["truth"]
    flags = set(t["flags"])
    if "no_substance" in flags:
        return {"action": "file", "unit": "xfs", "copy_to": None}
    if t["category"] == "out_of_scope":
        handler = pack.problem(t["problem_type"]).handler
        if c["channel"] in ("letter", "forwarded"):  # 来信反映的，转有关机关处理 (双向移交: 抄送联系的室组)
            return {"action": "transfer", "unit": handler, "copy_to": liaison[handler]}
        return {"action": "advise", "unit": handler, "copy_to": None}  # 来访来电网络: 告知向有权机关反映
    if t["category"] in ("appeal", "suggestion"):
        return {"action": "self", "unit": pack.problem(t["problem_type"]).handler, "copy_to": None}
    (accused,) = c["accused"]
    level, unit, post = accused["level"], accused["unit"], accused["post"]
    town = j.town_of(unit)
    commission_staff = unit == j.commission.code
    if "区纪委书记" in post or level == "city":  # 径送/报送上一级 (第十五条; 党章 第四十六条: 区委常委)
        route = ("report_up", "city_cdi")
    elif level == "county" and (commission_staff or post in ("纪委书记", "纪工委书记")):
        route = ("self", "jgs")  # 纪检监察干部: 干部监督室
    elif level == "county":
        route = ("self", liaison[town or unit])
    elif (threshold := CRIME_FROM.get(t["problem_type"])) is not None and (_amount(c) or 0) >= threshold:
        route = ("self", liaison[town])  # 提级办理: 实施条例 第十三条第二款
    else:
        route = ("assign", f"{town}_cdi")
    if "repeat" in flags and route[0] == "self":  # 本级受理的重复件留存备查 (第十四条)
        route = ("file", "xfs")
    return {"action": route[0], "unit": route[1], "copy_to": None}


def test_route_follows_management_authority(pack: Pack, cases: list[dict[str, Any]]) -> None:
    for c in cases:
        assert c["truth"]["route"] == _expected_route(pack, c), c["id"]


def test_disposal_only_where_this_level_handles_an_accusation(
    pack: Pack, cases: list[dict[str, Any]]
) -> None:
    allowed = {d.value for d in pack.rules.disposals}
    for c in cases:
        t = c["truth"]
        handled_here = t["category"] == "accusation" and t["route"]["action"] == "self"
        assert (t["disposal"] is not None) == handled_here, c["id"]
        if handled_here:
            problem = pack.problem(t["problem_type"])
            assert problem.disposal is not None
            assert t["disposal"] == problem.disposal[t["specificity"]].value
            assert t["disposal"] in allowed
            if t["specificity"] == "unverifiable":  # 道听途说、主观臆测: 无可查性，直接了结
                assert t["disposal"] == "close"


def test_names_and_units_come_from_the_jurisdiction(pack: Pack, cases: list[dict[str, Any]]) -> None:
    roster = {c.name: c for c in pack.cadres}
    towns = [t.name for t in pack.jurisdiction.towns]
    for c in cases:
        for a in c["accused"]:
            cadre = roster[a["name"]]
            assert (a["post"], a["unit"], a["level"]) == (cadre.post, cadre.unit, cadre.level.value)
            assert a["unit_name"] == pack.jurisdiction.name(a["unit"])
        route = c["truth"]["route"]
        assert pack.jurisdiction.has(route["unit"])
        assert route["copy_to"] is None or pack.jurisdiction.has(route["copy_to"])
        if c["reporter"]["name"] is not None:
            assert c["reporter"]["name"] not in roster, "a reporter must not share a cadre's name"
            assert any(t in c["reporter"]["address"] for t in towns)
        assert "{" not in _seen(c) and "}" not in _seen(c), c["id"]


def test_truth_is_consistent_with_the_material(cases: list[dict[str, Any]], history: dict[str, Any]) -> None:
    for c in cases:
        seen, t, r = _seen(c), c["truth"], c["reporter"]
        flags = set(t["flags"])
        assert len(flags & {"real_name", "anonymous", "impersonation"}) == 1, c["id"]
        if "real_name" in flags:
            assert r["real_name"] and r["name"] in seen and r["phone"] in seen, c["id"]
        if "anonymous" in flags:
            assert r["name"] is None and not r["real_name"]
        if "impersonation" in flags:
            # signed with someone's particulars, and a verification note says so
            assert not r["real_name"] and r["name"] in seen and c["material"]["notes"], c["id"]
        if "no_substance" in flags:
            assert t["problem_type"] == UNSPECIFIED and t["category"] == "accusation"
        for a in c["accused"]:
            if c["level"] == "hard" and "no_substance" in flags:
                # nothing particular: not even the unit, only a surname
                assert a["name"] in seen or f"{a['name'][0]}某" in seen, c["id"]
            elif c["level"] == "hard":
                assert a["name"] in seen or (f"{a['name'][0]}某" in seen and a["unit_name"] in seen), c["id"]
            else:
                assert a["name"] in seen, c["id"]
        if t["repeat_of"]:
            earlier = history[t["repeat_of"]]
            assert "repeat" in flags
            assert earlier.problem.code == t["problem_type"]
            assert (earlier.accused.name if earlier.accused else None) == (
                c["accused"][0]["name"] if c["accused"] else None
            )
            if c["level"] == "easy":
                # easy material says plainly that it was reported before
                assert f"{earlier.received.year}年{earlier.received.month}月" in seen, c["id"]


def test_levels_change_how_plainly_the_facts_appear(cases: list[dict[str, Any]]) -> None:
    def share(level: str, test: Any) -> float:
        pool = [c for c in cases if c["level"] == level and c["accused"]]
        return sum(1 for c in pool if test(c)) / len(pool)

    def named_in_full(c: dict[str, Any]) -> bool:
        return c["accused"][0]["name"] in _seen(c)

    assert share("easy", named_in_full) == 1.0
    assert share("hard", named_in_full) < 0.5

    def length(level: str) -> float:
        pool = [len(c["material"]["text"]) for c in cases if c["level"] == level and c["channel"] == "letter"]
        return sum(pool) / len(pool)

    assert length("easy") < length("medium") < length("hard")


def test_same_seed_same_case_alone_or_in_a_batch(generator: CaseGenerator) -> None:
    batch = list(generator.cases(5, 30))
    assert [generator.case(5, 17, batch[17].level)] == [batch[17]]
    fresh = CaseGenerator(generator.pack)
    assert case_json(fresh.case(5, 17, batch[17].level)) == case_json(batch[17])
    assert case_json(generator.case(6, 17, batch[17].level)) != case_json(batch[17])


def test_each_case_carries_its_seed_and_pack_version(pack: Pack, cases: list[dict[str, Any]]) -> None:
    for i, c in enumerate(cases[:100]):
        assert (c["seed"], c["index"], c["pack"]) == (SEED, i, "default@2.0.0")
        assert c["id"] == f"default-{SEED}-{i:06d}"


def test_level_argument_is_respected(generator: CaseGenerator) -> None:
    assert {c.level for c in generator.cases(1, 12, Level.HARD)} == {Level.HARD}


def _months(text: str) -> list[tuple[int, int]]:
    """Every year and month a text names (``2024年3月``, ``2024年3月5日``; ``2024年端午节前`` as the year's
    last month, since the month is not told)."""
    return [(int(y), int(m) if m else 12) for y, m in re.findall(r"(\d{4})年(?:(\d{1,2})月)?", text)]


def _told(c: dict[str, Any]) -> str:
    """What the writer or visitor says: the letter or form text and the visitor's lines, without the letter's
    own date line (the day it was written)."""
    m = c["material"]
    text = m["text"]
    if c["channel"] in ("letter", "forwarded"):
        text = text.rsplit("\n", 1)[0]
    return "\n".join([text, *(t["text"] for t in m["dialogue"] if t["speaker"] == "visitor")])


def test_a_repeat_restates_the_original_matter(cases: list[dict[str, Any]], history: dict[str, Any]) -> None:
    """重复检举控告: the same accused and the same facts, restated; nothing that happened after the original
    arrived (it may say the earlier report got no answer)."""
    repeats = [c for c in cases if c["truth"]["repeat_of"]]
    assert len(repeats) > 200
    for c in repeats:
        earlier = history[c["truth"]["repeat_of"]]
        told = _told(c)
        name, post = earlier.accused.name, earlier.accused.post
        plain = earlier.summary.replace(post, "")
        assert plain in told.replace(post, "") or plain.replace(name, f"{name[0]}某") in told.replace(
            post, ""
        ), (
            c["id"],
            "the original's facts are restated",
        )
        first_report = (earlier.received.year, earlier.received.month)
        told_months = [(y, m) for y, m in _months(told) if f"{y}年{m}月" in told]
        assert all(month <= first_report for month in told_months), (c["id"], "no later event")


def test_a_new_lead_by_the_same_person_is_not_a_repeat(
    cases: list[dict[str, Any]], history: dict[str, Any]
) -> None:
    """Same reporter, same cadre, but new facts (a later event) or new evidence: keyed as a new lead."""
    leads = [c for c in cases if c["truth"]["related_to"]]
    kinds = Counter(c["truth"]["novelty"] for c in leads)
    assert kinds["facts"] > 30 and kinds["evidence"] > 30
    evidence = ("发放表", "转账记录", "照片", "书面证明", "报账凭证", "会议记录")
    for c in leads:
        t, earlier = c["truth"], history[c["truth"]["related_to"]]
        assert "repeat" not in t["flags"] and t["repeat_of"] is None, c["id"]
        assert earlier.person is not None and c["reporter"]["name"] == earlier.person.name
        assert c["accused"][0]["name"] == earlier.accused.name
        told = _told(c)
        if t["novelty"] == "facts":
            first_report = (earlier.received.year, earlier.received.month)
            assert earlier.summary not in told, c["id"]
            assert any(month >= first_report for month in _months(told)), (c["id"], "a later matter")
        else:
            assert any(e in told for e in evidence), (c["id"], "new evidence is offered")
        # keyed as a new lead: routed like a first report, never logged and kept
        assert t["route"]["action"] != "file"


def test_acceptance_is_told_only_where_this_commission_accepts(cases: list[dict[str, Any]]) -> None:
    """受理告知 belongs to the accepting body: none when reported up, none when passed down (第十六条)."""
    for c in cases:
        action = c["truth"]["route"]["action"]
        if action in ("report_up", "assign", "transfer", "advise", "file"):
            assert "acceptance_notice" not in c["truth"]["due"], c["id"]
    assert any("acceptance_notice" in c["truth"]["due"] for c in cases)


def test_appeals_follow_their_own_limits_not_the_petition_regime(cases: list[dict[str, Any]]) -> None:
    appeals = [c for c in cases if c["truth"]["category"] == "appeal"]
    assert {c["truth"]["problem_type"] for c in appeals} == {
        "discipline_appeal",
        "accountability_appeal",
        "supervision_review",
    }
    for c in appeals:
        due = set(c["truth"]["due"])
        assert not due & {"petition_acceptance_notice", "petition_close", "review_request"}, c["id"]
        assert c["truth"]["route"] == {"action": "self", "unit": "sps", "copy_to": None}


def test_the_keys_cover_escalation_closing_and_the_new_routes(
    pack: Pack, cases: list[dict[str, Any]]
) -> None:
    routes = Counter(c["truth"]["route_rule"] for c in cases)
    for key in ("escalate", "discipline", "commission_head", "city", "out_of_scope_told", "out_of_scope"):
        assert routes[key] > 0, key
    assert sum(c["truth"]["disposal"] == "close" for c in cases) > 20  # 予以了结 where nothing can be checked
    for c in cases:
        if c["truth"]["route_rule"] == "escalate":
            (accused,) = c["accused"]
            assert accused["level"] in ("town", "village")
            assert (_amount(c) or 0) >= CRIME_FROM[c["truth"]["problem_type"]]
