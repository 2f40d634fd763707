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
    assert set(actions) == {"self", "assign", "report_up", "transfer", "file"}
    assert Counter(c["level"] for c in cases) == {"easy": N // 3 + 1, "medium": N // 3 + 1, "hard": N // 3}
    # shares follow pack.yaml's mix (accusation weight 62 of 100), within sampling noise
    assert 0.57 < categories["accusation"] / N < 0.67


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


def _expected_due(c: dict[str, Any]) -> dict[str, str]:
    """The default pack's intake deadlines, written out by hand from rules.yaml."""
    t, day = c["truth"], datetime.fromisoformat(c["received_at"]).date()
    flags, action, category = set(t["flags"]), t["route"]["action"], t["category"]
    due: dict[str, date] = {}
    if (
        category == "accusation"
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
    if category in ("appeal", "suggestion") and "real_name" in flags and "repeat" not in flags:
        due["petition_acceptance_notice"] = _roll(day + timedelta(days=15))
    if action == "transfer":
        due["transfer"] = _roll(day + timedelta(days=15))
    return {k: v.isoformat() for k, v in due.items()}


def test_due_dates_equal_the_rules_recomputed(cases: list[dict[str, Any]]) -> None:
    for c in cases:
        assert c["truth"]["due"] == _expected_due(c), c["id"]


def test_route_follows_management_authority(pack: Pack, cases: list[dict[str, Any]]) -> None:
    j = pack.jurisdiction
    liaison = {code: o.code for o in j.offices for code in (*o.liaises, *o.units)}
    for c in cases:
        t = c["truth"]
        route, flags = t["route"], set(t["flags"])
        if flags & {"repeat", "no_substance"}:
            assert route == {"action": "file", "unit": "xfs", "copy_to": None}
            continue
        problem = pack.problem(t["problem_type"])
        if t["category"] == "out_of_scope":
            assert route == {"action": "transfer", "unit": problem.handler, "copy_to": "u_xfj"}
        elif t["category"] in ("appeal", "suggestion"):
            assert route == {"action": "self", "unit": problem.handler, "copy_to": None}
        else:
            (accused,) = c["accused"]
            level, unit = accused["level"], accused["unit"]
            town = j.town_of(unit)
            if level == "city":
                expected = ("report_up", "city_cdi")
            elif level == "county":
                expected = ("self", liaison[town or unit])
            else:
                expected = ("assign", f"{town}_cdi")
            assert (route["action"], route["unit"]) == expected, c["id"]


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
        assert (c["seed"], c["index"], c["pack"]) == (SEED, i, "default@1.0.0")
        assert c["id"] == f"default-{SEED}-{i:06d}"


def test_level_argument_is_respected(generator: CaseGenerator) -> None:
    assert {c.level for c in generator.cases(1, 12, Level.HARD)} == {Level.HARD}
