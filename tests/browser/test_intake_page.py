"""The intake simulator in a real browser: a learner receives a visitor and registers the item."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import Recorded, Server, open_app, record_frames
from toolkit.domain.codes import Category, Channel, Disposal, Flag, Level, ManagementLevel, RouteAction
from toolkit.domain.models import Case
from toolkit.generate.cases import UNSPECIFIED, CaseGenerator
from toolkit.generate.conversation import build_conversation
from toolkit.i18n import t
from toolkit.packs import Pack, load_pack
from toolkit.store import Store

INTAKE = "/voila/render/intake.ipynb"
ZH = "zh"


def _labelled(pg: Any, kind: str, label: str, scope: str = "body") -> Any:
    """The widget of class ``widget-<kind>`` inside ``scope`` whose description is exactly ``label``."""
    exact = pg.locator("label", has_text=re.compile(f"^{label}$"))
    return pg.locator(scope).locator(f".widget-{kind}").filter(has=exact)


def _select(pg: Any, label: str, option: str, scope: str = ".xf-form") -> None:
    _labelled(pg, "dropdown", label, scope).locator("select").select_option(label=option)


def _secrets(case: Case, pack: Pack, conversation: Any) -> list[str]:
    out = [d.isoformat() for _, d in case.truth.due]
    out += [f"{d.year}年{d.month}月{d.day}日" for _, d in case.truth.due]
    out += [rule.note for rule in pack.rules.deadlines]
    for turn in conversation.turns:
        out += [o.fault.rule for o in turn.options if o.fault is not None]
    if case.truth.repeat_of:
        out.append(case.truth.repeat_of)
    return out


def _fill_form(pg: Any, case: Case, pack: Pack) -> None:
    truth, j = case.truth, pack.jurisdiction
    flags = set(truth.flags)
    signature = next(f for f in (Flag.REAL_NAME, Flag.ANONYMOUS, Flag.IMPERSONATION) if f in flags)
    pg.locator(".xf-form .widget-radio-box label", has_text=signature.label(ZH)).first.click()
    names = _labelled(pg, "text", t("intake.form.reporter_name", ZH), ".xf-form").locator("input")
    if truth.reporter.name:
        names.nth(0).fill(truth.reporter.name)
    if truth.reporter.phone:
        _labelled(pg, "text", t("intake.form.reporter_phone", ZH), ".xf-form").locator("input").fill(
            truth.reporter.phone
        )
    if truth.accused:
        a = truth.accused[0]
        names.nth(1).fill(a.name)
        _labelled(pg, "text", t("intake.form.accused_post", ZH), ".xf-form").locator("input").fill(a.post)
        _select(pg, t("intake.form.accused_unit", ZH), j.name(a.unit))
        _select(pg, t("intake.form.accused_level", ZH), ManagementLevel(a.level).label(ZH))
    else:
        pg.locator(".xf-form .widget-checkbox", has_text=t("intake.form.no_accused", ZH)).locator(
            "input"
        ).check()
    _select(pg, t("intake.form.category", ZH), Category(truth.category).label(ZH))
    if truth.problem_type == UNSPECIFIED:
        problem = t("intake.form.problem_unspecified", ZH)
    else:
        p = pack.problem(truth.problem_type)
        problem = f"{Category(p.category).label(ZH)} · {p.name}"
    _select(pg, t("intake.form.problem_type", ZH), problem)
    if Flag.REPEAT in flags:
        pg.locator(".xf-form .widget-checkbox", has_text=Flag.REPEAT.label(ZH)).locator("input").check()
        _labelled(pg, "text", t("intake.form.repeat_of", ZH), ".xf-form").locator("input").fill(
            truth.repeat_of or ""
        )
    if Flag.NO_SUBSTANCE in flags:
        pg.locator(".xf-form .widget-checkbox", has_text=Flag.NO_SUBSTANCE.label(ZH)).locator("input").check()
    _select(pg, t("intake.form.route_action", ZH), RouteAction(truth.route.action).label(ZH))
    _select(pg, t("intake.form.route_unit", ZH), j.name(truth.route.unit))
    if truth.route.copy_to:
        _select(pg, t("intake.form.copy_to", ZH), j.name(truth.route.copy_to))
    if truth.disposal:
        _select(pg, t("intake.form.disposal", ZH), Disposal(truth.disposal).label(ZH))
    for code, day in truth.due:
        rule = pack.rules.deadline(code)
        row = pg.locator(".xf-form .widget-hbox").filter(
            has=pg.locator(".widget-checkbox", has_text=rule.name_zh)
        )
        row.locator(".widget-checkbox input").check()
        row.locator("input[type=date]").fill(day.isoformat())
        row.locator("input[type=date]").dispatch_event("change")


def test_a_learner_receives_a_visitor_and_registers_the_item(server: Server, page: Recorded) -> None:
    frames = record_frames(page)
    open_app(page, server.url + INTAKE + "?lang=zh", t("intake.start.next", ZH))
    pg: Any = page.page
    pg.get_by_placeholder(t("practice.name_hint", ZH)).fill("浏览器学员")
    _select(pg, t("intake.start.channel", ZH), Channel.VISIT.label(ZH), ".xf-start")
    pg.get_by_role("button", name=t("intake.start.next", ZH)).click()
    pg.locator(".xf-case-facts dd").first.wait_for(timeout=60_000)
    case_id = pg.locator(".xf-case-facts dd").first.inner_text().strip()
    name, seed, index = case_id.rsplit("-", 2)
    pack = load_pack(name)
    gen = CaseGenerator(pack)
    case = gen.case(int(seed), int(index), Level.EASY)
    assert case.id == case_id and case.channel is Channel.VISIT
    conversation = build_conversation(gen, case)

    for n, turn in enumerate(conversation.turns, start=1):
        pg.get_by_text(t("intake.talk.pick", ZH, n=n, total=len(conversation.turns))).wait_for(timeout=30_000)
        pg.locator(".xf-reply", has_text=turn.model.text).first.click()
    pg.get_by_text(t("intake.talk.done", ZH)).wait_for(timeout=30_000)
    # scanned before the form is filled: from then on the learner's own dates travel too
    before = "\n".join(frames)
    assert frames, "the page talks to its kernel over a websocket"
    leaked = [s for s in _secrets(case, pack, conversation) if s and s in before]
    assert leaked == [], "nothing of the answer key reaches the browser before submission"
    _fill_form(pg, case, pack)

    sent_before = len(frames)
    pg.get_by_role("button", name=t("intake.submit", ZH)).click()
    pg.get_by_text(t("intake.report.title", ZH), exact=True).wait_for(timeout=60_000)
    pg.locator(".xf-score-total").scroll_into_view_if_needed()
    total = pg.locator(".xf-score-total").inner_text()
    body = pg.inner_text("body")
    assert "Traceback" not in body
    with Store.open("sqlite:///" + str(server.data / "xfkit.sqlite3")) as store:
        [stored] = store.scored(app="intake", actor="浏览器学员")
    assert stored.submission.item_id == case.id
    score = stored.score.payload
    assert f"{score['total']:g} / {score['max']:g}" in total
    assert score["total"] == score["max"], [i for i in score["items"] if i["points"] < i["max"]]
    after = "\n".join(frames[sent_before:])
    assert t("intake.report.title", ZH) in after, "the report arrives after submission"
    assert not case.truth.due or case.truth.due[0][1].isoformat() in after
