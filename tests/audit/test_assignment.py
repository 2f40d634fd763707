"""Cross-review assignment: no self-review, k distinct reviewers, loads as even as the units allow."""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.audit.assignment import assign_reviewers, assignment_problems
from toolkit.audit.model import Assignment, AuditItem, Reviewer
from toolkit.errors import AssignmentInfeasible, AuditError


def item(n: int, unit: str) -> AuditItem:
    return AuditItem(f"I{n:03d}", unit, f"单位{unit}")


def all_loads(assignment: Assignment, reviewers: Sequence[Reviewer]) -> list[int]:
    """Every reviewer's load, zeros included, in the reviewers' order."""
    loads = assignment.loads()
    return [loads.get(r.name, 0) for r in reviewers]


def outside(unit_item: AuditItem, reviewers: Sequence[Reviewer]) -> int:
    return sum(not r.same_unit(unit_item) for r in reviewers)


# ---- an independent oracle: is there an assignment with every load in [lo, hi]? ----------------------


def max_flow(cap: list[dict[int, int]], source: int, sink: int) -> int:
    """Edmonds–Karp on a dict-of-capacities graph (changed in place)."""
    flow = 0
    while True:
        parent = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v, c in cap[u].items():
                if c > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return flow
        v = sink
        while v != source:
            u = parent[v]
            cap[u][v] -= 1
            cap[v][u] = cap[v].get(u, 0) + 1
            v = u
        flow += 1


def loads_possible(
    items: Sequence[AuditItem], reviewers: Sequence[Reviewer], k: int, lo: int, hi: int
) -> bool:
    """Whether some valid assignment has every load in [lo, hi] (flow with lower bounds, by reduction)."""
    n_i, n_r = len(items), len(reviewers)
    s, t = n_i + n_r, n_i + n_r + 1
    s2, t2 = t + 1, t + 2
    cap: list[dict[int, int]] = [{} for _ in range(t2 + 1)]
    excess = [0] * (t2 + 1)

    def edge(a: int, b: int, low: int, high: int) -> None:
        cap[a][b] = cap[a].get(b, 0) + high - low
        cap[b].setdefault(a, 0)
        excess[b] += low
        excess[a] -= low

    for i, it in enumerate(items):
        edge(s, i, k, k)
        for r, reviewer in enumerate(reviewers):
            if not reviewer.same_unit(it):
                edge(i, n_i + r, 0, 1)
    for r in range(n_r):
        edge(n_i + r, t, lo, hi)
    edge(t, s, 0, k * n_i)
    need = 0
    for v in range(t + 1):
        if excess[v] > 0:
            edge(s2, v, 0, excess[v])
            need += excess[v]
        elif excess[v] < 0:
            edge(v, t2, 0, -excess[v])
    return max_flow(cap, s2, t2) == need


# ---- properties --------------------------------------------------------------------------------------


@st.composite
def populations(draw: st.DrawFn) -> tuple[list[AuditItem], list[Reviewer], int]:
    n_units = draw(st.integers(2, 8))
    units = [f"U{n}" for n in range(n_units)]
    unit_list = draw(st.lists(st.sampled_from(units), min_size=1, max_size=60))
    items = [item(n, u) for n, u in enumerate(unit_list)]
    # reviewers from the item units (by code or by display name) and from a few units with no items
    homes = [*units, *(f"单位{u}" for u in units), "X1", "X2", "X3"]
    reviewer_units = draw(st.lists(st.sampled_from(homes), min_size=2, max_size=20))
    reviewers = [Reviewer(f"R{n:02d}", u) for n, u in enumerate(reviewer_units)]
    return items, reviewers, draw(st.integers(1, 3))


@settings(max_examples=200, deadline=None)
@given(population=populations(), seed=st.integers(0, 10**6))
def test_assignment_properties(population: tuple[list[AuditItem], list[Reviewer], int], seed: int) -> None:
    items, reviewers, k = population
    short = {it.unit: outside(it, reviewers) for it in items if outside(it, reviewers) < k}
    try:
        assignment = assign_reviewers(items, reviewers, k=k, seed=seed)
    except AssignmentInfeasible as error:
        assert error.unit in short
        assert (error.needed, error.available) == (k, short[error.unit])
        assert f"({error.unit})" in str(error)
        return
    assert not short, "an assignment came back although a unit lacks outside reviewers"
    assert assignment_problems(assignment, items, reviewers) == []
    assert list(assignment.pairs) == [it.id for it in items]
    by_name = {r.name: r for r in reviewers}
    order = {r.name: n for n, r in enumerate(reviewers)}
    for it in items:
        names = assignment.pairs[it.id]
        assert len(names) == len(set(names)) == k
        assert not any(by_name[name].same_unit(it) for name in names)
        assert list(names) == sorted(names, key=order.__getitem__)

    loads = all_loads(assignment, reviewers)
    total = k * len(items)
    floor, ceil = total // len(reviewers), math.ceil(total / len(reviewers))
    assert sum(loads) == total
    if all(outside(it, [r]) == 1 for it in items for r in reviewers):
        assert max(loads) - min(loads) <= 1
    if loads_possible(items, reviewers, k, floor, ceil):
        assert set(loads) <= {floor, ceil}
    if loads_possible(items, reviewers, k, 0, ceil):
        assert max(loads) <= ceil
    # in every case the highest load is the least possible and the lowest the greatest possible
    assert not loads_possible(items, reviewers, k, 0, max(loads) - 1)
    assert not loads_possible(items, reviewers, k, min(loads) + 1, total)

    assert assign_reviewers(items, reviewers, k=k, seed=seed) == assignment


def test_even_loads_when_everyone_is_eligible() -> None:
    items = [item(n, f"U{n % 4}") for n in range(50)]
    reviewers = [Reviewer(f"R{n}", "省纪委") for n in range(7)]
    assignment = assign_reviewers(items, reviewers, k=3, seed=11)
    assert sorted(all_loads(assignment, reviewers)) == [21] * 4 + [22] * 3  # 150 slots over 7


def test_balanced_despite_units() -> None:
    # 6 units of 10 items each, 2 reviewers from each: 120 slots over 12 reviewers, 10 each
    items = [item(n, f"U{n % 6}") for n in range(60)]
    reviewers = [Reviewer(f"R{n}", f"U{n % 6}") for n in range(12)]
    assignment = assign_reviewers(items, reviewers, k=2, seed=3)
    assert all_loads(assignment, reviewers) == [10] * 12
    assert assignment_problems(assignment, items, reviewers) == []


def test_unbalanceable_units_minimise_the_highest_load() -> None:
    # 20 items of U0, 2 of U1; three reviewers are from U0 so only R3, R4 may review U0's items
    items = [item(n, "U0") for n in range(20)] + [item(20, "U1"), item(21, "U1")]
    reviewers = [Reviewer(f"R{n}", "U0") for n in range(3)] + [Reviewer("R3", "U1"), Reviewer("R4", "U2")]
    assignment = assign_reviewers(items, reviewers, k=2, seed=1)
    loads = all_loads(assignment, reviewers)
    # R3 and R4 carry all 40 slots of U0; U1's 4 slots go to the U0 reviewers and R4
    assert loads[3] == 20 and loads[4] == 20
    assert sorted(loads[:3]) == [1, 1, 2]
    assert assignment_problems(assignment, items, reviewers) == []


def test_reproducible_and_seed_dependent() -> None:
    items = [item(n, f"U{n % 3}") for n in range(30)]
    reviewers = [Reviewer(f"R{n}", f"U{n % 5}") for n in range(8)]
    first = assign_reviewers(items, reviewers, k=2, seed=7)
    assert assign_reviewers(items, reviewers, k=2, seed=7) == first
    assert first.seed == 7 and first.k == 2
    assert assign_reviewers(items, reviewers, k=2, seed=8).pairs != first.pairs


def test_infeasible_unit_is_named() -> None:
    items = [AuditItem("a1", "A", "甲县纪委"), AuditItem("b1", "B", "乙县纪委")]
    reviewers = [Reviewer("张三", "A"), Reviewer("李四", "甲县纪委"), Reviewer("王五", "A")]
    with pytest.raises(AssignmentInfeasible) as caught:
        assign_reviewers(items, reviewers, k=2, seed=1)
    error = caught.value
    assert (error.unit, error.needed, error.available) == ("A", 2, 0)
    assert str(error) == (
        "unit 甲县纪委 (A): its items need 2 reviewers from other units, only 0 reviewers are not from it"
    )


@pytest.mark.parametrize(
    ("items", "reviewers", "k", "message"),
    [
        ([item(1, "A")], [Reviewer("R", "B")], 0, "at least 1 reviewer"),
        ([], [Reviewer("R", "B")], 1, "no items"),
        ([item(1, "A")], [], 1, "no reviewers"),
        ([item(1, "A")], [Reviewer("R", "B"), Reviewer("R", "C")], 1, "reviewer 'R' appears more than once"),
        ([item(1, "A"), item(1, "B")], [Reviewer("R", "C")], 1, "item id 'I001' appears more than once"),
    ],
)
def test_bad_inputs(items: list[AuditItem], reviewers: list[Reviewer], k: int, message: str) -> None:
    with pytest.raises(AuditError, match=message):
        assign_reviewers(items, reviewers, k=k, seed=1)


def test_large_assignment_is_fast() -> None:
    rng = random.Random(0)
    units = [f"U{n}" for n in range(12)]
    items = [item(n, rng.choice(units)) for n in range(2000)]
    reviewers = [Reviewer(f"R{n:02d}", rng.choice([*units, "X"])) for n in range(60)]
    start = time.perf_counter()
    assignment = assign_reviewers(items, reviewers, k=3, seed=1)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert assignment_problems(assignment, items, reviewers) == []
    assert set(all_loads(assignment, reviewers)) == {100}


def test_problems_are_found() -> None:
    items = [item(1, "A"), item(2, "B"), item(3, "C")]
    reviewers = [Reviewer("甲", "A"), Reviewer("乙", "B"), Reviewer("丙", "C")]
    bad = Assignment(
        seed=1,
        k=2,
        pairs={"I001": ("甲", "乙"), "I002": ("甲", "甲"), "I009": ("乙", "丙"), "I003": ("丁", "甲", "乙")},
    )
    assert assignment_problems(bad, items, reviewers) == [
        "item 'I001': reviewer '甲' is from unit A, which handled it (单位A, A): self-review",
        "item 'I002' lists reviewer '甲' more than once",
        "item 'I003' has 3 reviewer(s), expected 2",
        "item 'I003': reviewer '丁' is not among the reviewers",
        "item 'I009' is assigned but is not among the items",
    ]
    missing = Assignment(seed=1, k=1, pairs={"I001": ("乙",)})
    assert assignment_problems(missing, items, reviewers) == [
        "item 'I002' has no reviewers assigned",
        "item 'I003' has no reviewers assigned",
    ]
