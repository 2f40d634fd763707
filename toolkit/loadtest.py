"""Simulated contestants against a real server: join a competition, answer its quiz round, check the store.

Each contestant is a :class:`~toolkit.widget_client.PageClient`: it opens the contest page with the join
code, types a name, joins, waits for the round, and for every item picks an answer and clicks submit, with
a seeded "thinking" pause in between. It times:

* **join**: from the page request to the page showing the contestant's name and number (kernel start,
  notebook run, websocket, widget states, the join and its store write);
* **submit → stored**: from the click to the progress line counting the item. The page moves that line
  only after the answer and its score are committed to the store (scores stay hidden until the trainer
  releases the round, so the stored acknowledgement is what a contestant sees).

:func:`check_store` then compares what each page acknowledged with the store: every acknowledged item
must be there exactly once. Nothing here starts or stops the server: callers do (``toolkit.serve_process``).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from toolkit.i18n import t
from toolkit.widget_client import PageClient, PageError, Widget

#: how often a contestant reloads a page that failed before giving up
RELOADS = 2

__all__ = [
    "ContestantRun",
    "answer",
    "LoadFigures",
    "StoreCheck",
    "check_store",
    "open_item",
    "contestant",
    "percentile",
    "run_contestants",
    "summarise",
]


@dataclass
class ContestantRun:
    """What one simulated contestant did and saw."""

    name: str
    join_s: float | None = None
    page_s: float | None = None  # of which: the page request (kernel, notebook run)
    submit_s: list[float] = field(default_factory=list)
    sent: int = 0
    acked: list[int] = field(default_factory=list)  # item positions the page confirmed as stored
    error: str = ""
    reloads: int = 0  # pages that failed and were asked for again


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    at = (len(ordered) - 1) * q / 100
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def _html_values(page: PageClient) -> list[str]:
    return [str(w.state.get("value", "")) for w in page.find("HTMLModel")]


def _progress(page: PageClient, lang: str, total: int) -> tuple[int, list[int]] | None:
    """The progress line's count and the positions it lists as submitted, if it shows."""
    head = t("contest.progress", lang, done="\u0000", total=total).split("\u0000")
    for value in _html_values(page):
        if head[0] in value and head[1] in value:
            count = re.match(r"\d+", value.split(head[0], 1)[1])
            done = int(count.group()) if count else 0
            text = re.sub(r"<[^>]+>", "", value)
            positions = [int(p) for p in re.findall(r"\d+", text.split("·", 1)[1])] if "·" in text else []
            return done, positions
    return None


def open_item(page: PageClient, submit_text: str) -> tuple[Widget, list[Widget]] | None:
    """The submit button of the item being shown and the answer controls next to it."""
    for button in page.find("ButtonModel", description=submit_text, disabled=False):
        box = page.parent_of(button.model_id)
        if box is None:
            continue
        controls = [page.widgets[c] for c in box.children if c in page.widgets]
        answers = [
            w for w in controls if w.model_name in ("RadioButtonsModel", "CheckboxModel", "DatePickerModel")
        ]
        if answers:
            return button, answers
    return None


def answer(page: PageClient, controls: list[Widget], rng: random.Random) -> None:
    """Give an answer the way a person would: a choice, a ticked box, or a date."""
    for control in controls:
        if control.model_name == "RadioButtonsModel":
            labels = control.state.get("_options_labels") or ["?"]
            page.set(control, index=rng.randrange(len(labels)))
            return
        if control.model_name == "DatePickerModel":
            page.set(control, value={"year": 2025, "month": rng.randrange(12), "date": rng.randint(1, 28)})
            return
    boxes = [c for c in controls if c.model_name == "CheckboxModel"]
    for box in rng.sample(boxes, k=max(1, len(boxes) // 2)):
        page.set(box, value=True)


async def contestant(
    url: str,
    code: str,
    name: str,
    items: int,
    *,
    lang: str = "zh",
    think_s: float = 2.0,
    seed: int = 0,
    on_ack: Callable[[], None] | None = None,
    on_joined: Callable[[], None] | None = None,
    timeout_s: float = 180,
) -> ContestantRun:
    """One contestant: join ``code`` as ``name`` and answer ``items`` quiz items of the running round."""
    run = ContestantRun(name)
    rng = random.Random(f"{seed}:{name}")
    page = PageClient(url, f"/voila/render/contest.ipynb?code={code}&lang={lang}", timeout_s=timeout_s)
    start = time.perf_counter()
    told = False

    def settle() -> None:
        nonlocal told
        if not told and on_joined is not None:
            told = True
            on_joined()

    try:
        for reload in range(RELOADS + 1):  # a page that came without a kernel: the person reloads it
            try:
                await page.fetch()
                break
            except PageError:
                if reload == RELOADS:
                    raise
                run.reloads += 1
        run.page_s = time.perf_counter() - start
        await page.connect()
        name_box = next(page.find("TextModel", description=t("contest.name", lang)))
        join = next(page.find("ButtonModel", description=t("contest.join", lang)))
        page.set(name_box, value=name)
        page.click(join)
        await page.wait_for(
            lambda: any("<h2>" in v and name in v for v in _html_values(page)), f"{name} to join"
        )
        run.join_s = time.perf_counter() - start
        settle()
        submit_text = t("contest.submit", lang)
        for done in range(1, items + 1):
            found = await page.wait_for(lambda: open_item(page, submit_text), f"item {done}")
            await asyncio.sleep(rng.uniform(think_s / 2, think_s * 1.5))
            button, controls = found
            answer(page, controls, rng)
            clicked = time.perf_counter()
            page.click(button)
            run.sent += 1

            def stored(n: int = done) -> tuple[int, list[int]] | None:
                shown = _progress(page, lang, items)
                return shown if shown is not None and shown[0] >= n else None

            shown = await page.wait_for(stored, f"item {done} to be stored")
            run.submit_s.append(time.perf_counter() - clicked)
            run.acked = list(shown[1])
            if on_ack is not None:
                on_ack()
    except (PageError, OSError, StopIteration) as exc:
        run.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    finally:
        settle()
        await page.close()
    return run


async def run_contestants(
    url: str,
    code: str,
    count: int,
    items: int,
    *,
    start_round: Callable[[], None],
    ramp_s: float = 60.0,
    think_s: float = 2.0,
    seed: int = 0,
    lang: str = "zh",
    on_ack: Callable[[], None] | None = None,
    prefix: str = "p",
) -> list[ContestantRun]:
    """``count`` contestants arriving evenly over ``ramp_s``; the round starts once every one has joined
    (or failed to)."""
    waiting = count

    def settled() -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            start_round()

    async def one(i: int) -> ContestantRun:
        await asyncio.sleep(ramp_s * i / max(count, 1))
        return await contestant(
            url,
            code,
            f"{prefix}{i + 1:03d}",
            items,
            lang=lang,
            think_s=think_s,
            seed=seed,
            on_ack=on_ack,
            on_joined=settled,
        )

    return list(await asyncio.gather(*(one(i) for i in range(count))))


@dataclass
class StoreCheck:
    """Acknowledged items against the store."""

    acked: int
    stored: int
    lost: int  # acknowledged by the page, missing from the store
    duplicates: int  # (contestant, item) stored more than once
    unacked_stored: int  # stored though the page never said so (the kill came between the two)


def check_store(db_url: str, code: str, runs: Sequence[ContestantRun]) -> StoreCheck:
    """Compare what the pages acknowledged with what the store holds."""
    from toolkit.store import Store

    with Store.open(db_url) as store:
        record = store.competition_by_code(code)
        if record is None:
            raise ValueError(f"no competition with the code {code}")
        by_name = {c.name: c for c in store.contestants(record.id)}
        acked = stored = lost = duplicates = extra = 0
        for run in runs:
            person = by_name.get(run.name)
            keys = (
                [str(s.submission.payload["key"]) for s in store.contest_submissions(record.id, person.id)]
                if person is not None
                else []
            )
            stored += len(keys)
            duplicates += len(keys) - len(set(keys))
            wanted = {f"r1-{position:02d}" for position in run.acked}
            acked += len(wanted)
            lost += len(wanted - set(keys))
            extra += len(set(keys) - wanted)
    return StoreCheck(acked, stored, lost, duplicates, extra)


@dataclass
class LoadFigures:
    contestants: int
    joined: int
    errors: int
    join_p50_s: float | None
    join_p95_s: float | None
    join_max_s: float | None
    page_p50_s: float | None
    page_p95_s: float | None
    submits: int
    submit_p50_ms: float | None
    submit_p95_ms: float | None
    submit_max_ms: float | None
    reloads: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(runs: Sequence[ContestantRun]) -> LoadFigures:
    joins = [r.join_s for r in runs if r.join_s is not None]
    pages = [r.page_s for r in runs if r.page_s is not None]
    submits = [s * 1000 for r in runs for s in r.submit_s]

    def rounded(value: float | None, digits: int) -> float | None:
        return None if value is None else round(value, digits)

    return LoadFigures(
        contestants=len(runs),
        joined=len(joins),
        errors=sum(1 for r in runs if r.error),
        join_p50_s=rounded(percentile(joins, 50), 3),
        join_p95_s=rounded(percentile(joins, 95), 3),
        join_max_s=rounded(max(joins, default=None), 3) if joins else None,
        page_p50_s=rounded(percentile(pages, 50), 3),
        page_p95_s=rounded(percentile(pages, 95), 3),
        submits=len(submits),
        submit_p50_ms=rounded(percentile(submits, 50), 1),
        submit_p95_ms=rounded(percentile(submits, 95), 1),
        submit_max_ms=rounded(max(submits), 1) if submits else None,
        reloads=sum(r.reloads for r in runs),
    )
