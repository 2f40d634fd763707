"""A competition in a real browser: the trainer runs a quiz round from the console, three contestants join
and answer in their own browsers, the projector's board ranks them. Screenshots go to artifacts/."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import ARTIFACTS, SECRET, Recorded, Server, open_app, record_frames
from toolkit.i18n import t
from toolkit.store import Store

CONSOLE = "/voila/render/console.ipynb"
ZH = "zh"
NAMES = ("城关甲", "河西乙", "东湖丙")


def _shot(pg: Any, name: str, height: int = 1600) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.set_viewport_size({"width": 1280, "height": height})
    pg.screenshot(path=str(ARTIFACTS / f"contest_{name}.png"), full_page=True)


def _answer_current(pg: Any, done: int, total: int) -> None:
    """Answer the item shown, the ``done + 1``-th of ``total``, once the page has moved on to it."""
    pg.get_by_text(t("contest.progress", ZH, done=done, total=total)).wait_for(timeout=30_000)
    quiz = pg.locator(".xf-quiz", has=pg.locator("button:not([disabled])"))
    quiz.locator("input").first.wait_for(timeout=30_000)
    radios = quiz.locator("input[type=radio]")
    boxes = quiz.locator("input[type=checkbox]")
    dates = quiz.locator("input[type=date]")
    if radios.count():
        radios.first.click()
    elif boxes.count():
        boxes.first.click()
        boxes.nth(1).click()
    else:
        dates.first.fill("2025-10-10")
        dates.first.press("Tab")
    quiz.get_by_role("button", name=t("contest.submit", ZH)).click()
    pg.get_by_text(t("contest.progress", ZH, done=done + 1, total=total)).wait_for(timeout=30_000)


def test_a_trainer_and_three_contestants(server: Server, browser: Any, page: Recorded) -> None:
    pg: Any = page.page
    open_app(page, f"{server.url}{CONSOLE}?key={SECRET}", t("console.tab.new", ZH))
    pg.locator(".widget-tab .lm-TabBar-tab", has_text=t("console.tab.new", ZH)).click()
    for kind in ("intake", "findings"):
        pg.get_by_label(t(f"contest.kind.{kind}", ZH)).uncheck()
    counts = pg.get_by_label(t("console.count", ZH))
    counts.nth(2).fill("3")
    counts.nth(2).press("Tab")
    pg.get_by_role("button", name=t("console.create", ZH)).click()
    pg.locator(".xf-code b").wait_for(timeout=30_000)
    code = pg.locator(".xf-code b").inner_text().strip()
    assert len(code) == 6

    contexts, pages, frames = [], [], []
    for name in NAMES:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        cpg = context.new_page()
        rec = Recorded(cpg, [])
        frames.append(record_frames(rec))
        open_app(rec, f"{server.url}/voila/render/contest.ipynb?code={code}", t("contest.join", ZH))
        cpg.get_by_placeholder(t("contest.name_hint", ZH)).fill(name)
        cpg.get_by_role("button", name=t("contest.join", ZH)).click()
        cpg.get_by_text(t("contest.wait", ZH)).wait_for(timeout=30_000)
        contexts.append(context)
        pages.append(cpg)
    _shot(pages[0], "waiting", 900)

    pg.get_by_role("button", name=t("console.action.start", ZH)).first.click()
    for cpg in pages:  # the round appears by itself: the page's ticker reads the store
        cpg.locator(".xf-quiz").wait_for(timeout=30_000)
    for n, cpg in enumerate(pages):
        for done in range(3 - n):  # the first answers all three, the last only one
            _answer_current(cpg, done, 3)  # the page moves on to the next item by itself
    _shot(pages[0], "contestant", 1400)

    board_page = browser.new_page(viewport={"width": 1280, "height": 900})
    board_page.goto(f"{server.url}/voila/render/board.ipynb?code={code}")
    board_page.get_by_text(NAMES[0]).wait_for(timeout=60_000)
    _shot(board_page, "board", 900)
    body = board_page.inner_text("body")
    assert body.index(NAMES[0]) < body.index(NAMES[2]) or "1" in body

    pg.get_by_role("button", name=t("console.action.end", ZH)).first.click()
    seen_before_release = [len(f) for f in frames]
    pg.get_by_role("button", name=t("console.action.release", ZH)).first.click()
    pg.get_by_text(t("console.released", ZH)).wait_for(timeout=30_000)
    pages[0].get_by_text(t("contest.released", ZH)).wait_for(timeout=30_000)
    _shot(pages[0], "released", 1400)
    _shot(pg, "console", 2200)

    with Store.open("sqlite:///" + str(server.data / "xfkit.sqlite3")) as store:
        record = store.competition_by_code(code)
        assert record is not None
        stored = store.contest_submissions(record.id)
    assert len(stored) == 3 + 2 + 1
    # what the key holds never reached a contestant's browser before the release
    for scored in stored:
        number = int(scored.submission.actor.split("/")[1])
        early = "\n".join(frames[number - 1][: seen_before_release[number - 1]])
        explanation = str(scored.score.payload.get("explanation", ""))
        assert not explanation or explanation not in early
    for text in ("Traceback",):
        assert all(text not in p.inner_text("body") for p in (pg, *pages, board_page))
    for context in contexts:
        context.close()
    board_page.close()
