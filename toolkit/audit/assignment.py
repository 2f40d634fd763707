"""Cross-review assignment: k distinct reviewers per item, none from the unit that handled it, loads even.

The assignment is a flow: each item sends k units, one to each of k eligible reviewers (a reviewer is
eligible for an item unless :meth:`~toolkit.audit.model.Reviewer.same_unit`). Two steps build it:

1. **Place.** Items with the fewest eligible reviewers go first; each takes the k eligible reviewers with
   the lowest load so far (ties broken at random). Every slot is filled: a unit whose items have fewer than
   k eligible reviewers is refused beforehand, and nothing else limits a reviewer.
2. **Even out.** Look for an augmenting path in the flow's residual network from a reviewer B to a reviewer
   A carrying at least two items more: B takes an item from u1, u1 takes one from u2, ..., the last takes
   one from A, so B gains one, A loses one and the rest keep their loads. Repeat until there is none.

With no such path left the loads have the least sum of squares any valid assignment can have (in a flow
with convex costs on the reviewer → sink arcs a flow is optimal when no residual cycle has negative cost,
and such a cycle is exactly such a path). The loads of such an assignment form the least-uneven vector
(Frank and Murota, "Discrete decreasing minimization"): the highest load is as low as it can be and the
lowest as high as it can be; so the loads are ⌊T/R⌋ and ⌈T/R⌉ whenever some valid assignment has them.

The search runs over reviewers, not items: for each pair (u, w) it counts the items of w that u could
take, kept up to date from per-reviewer tallies, so one search costs O(R²) whatever the number of items.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Sequence
from itertools import pairwise

from toolkit.audit.model import Assignment, AuditItem, Reviewer
from toolkit.errors import AssignmentInfeasible, AuditError


def _check_inputs(items: Sequence[AuditItem], reviewers: Sequence[Reviewer], k: int) -> None:
    """Refuse k < 1, no items, no reviewers, and ids or names given twice."""
    if k < 1:
        raise AuditError(f"each item needs at least 1 reviewer; k = {k} was asked")
    if not items:
        raise AuditError("there are no items to assign reviewers to")
    if not reviewers:
        raise AuditError("there are no reviewers to assign")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise AuditError(f"item id {item.id!r} appears more than once among the items")
        seen.add(item.id)
    names: set[str] = set()
    for reviewer in reviewers:
        if reviewer.name in names:
            raise AuditError(f"reviewer {reviewer.name!r} appears more than once among the reviewers")
        names.add(reviewer.name)


class _Loads:
    """A complete assignment (reviewer indices per item) and the tallies the search reads.

    ``group[i]`` is item i's (unit, unit name) group; ``barred[u]`` the groups reviewer u may not review.
    ``by_group[w][g]`` counts w's items of group g and ``shared[u][w]`` the items u and w both review.
    """

    def __init__(self, group: list[int], barred: list[frozenset[int]], groups: int) -> None:
        reviewers = len(barred)
        self.group = group
        self.barred = barred
        self.on: list[list[int]] = [[] for _ in group]
        self.items: list[set[int]] = [set() for _ in range(reviewers)]
        self.by_group = [[0] * groups for _ in range(reviewers)]
        self.shared = [[0] * reviewers for _ in range(reviewers)]

    def load(self, u: int) -> int:
        """Items reviewer u has."""
        return len(self.items[u])

    def add(self, i: int, u: int) -> None:
        """Give item i to reviewer u."""
        for v in self.on[i]:
            self.shared[u][v] += 1
            self.shared[v][u] += 1
        self.on[i].append(u)
        self.items[u].add(i)
        self.by_group[u][self.group[i]] += 1

    def remove(self, i: int, u: int) -> None:
        """Take item i away from reviewer u."""
        self.on[i].remove(u)
        self.items[u].discard(i)
        self.by_group[u][self.group[i]] -= 1
        for v in self.on[i]:
            self.shared[u][v] -= 1
            self.shared[v][u] -= 1

    def can_take(self, u: int, w: int) -> bool:
        """Whether u may take over one of w's items (eligible for it, not already on it)."""
        row = self.by_group[w]
        barred = sum(row[g] for g in self.barred[u])
        return len(self.items[w]) - barred - self.shared[u][w] > 0

    def take(self, u: int, w: int) -> None:
        """Move one of w's items that u may review (the lowest index) to u."""
        barred = self.barred[u]
        i = min(i for i in self.items[w] if self.group[i] not in barred and u not in self.on[i])
        self.remove(i, w)
        self.add(i, u)

    def shift_path(self) -> list[int] | None:
        """Reviewers ``[B, u1, ..., A]`` such that each can take an item from the next and
        ``load(A) ≥ load(B) + 2``; None when there is no such path (the loads are then optimal)."""
        count = len(self.items)
        order = sorted(range(count), key=lambda u: (self.load(u), u))
        # a reviewer reached from an earlier start (no heavier load) leads nowhere useful for later ones
        settled = [False] * count
        for start in order:
            if settled[start]:
                continue
            goal = self.load(start) + 2
            parent = {start: start}
            queue = deque([start])
            settled[start] = True
            while queue:
                u = queue.popleft()
                for w in range(count):
                    if w in parent or settled[w] or not self.can_take(u, w):
                        continue
                    parent[w] = u
                    if self.load(w) >= goal:
                        path = [w]
                        while path[-1] != start:
                            path.append(parent[path[-1]])
                        return path[::-1]
                    settled[w] = True
                    queue.append(w)
        return None


def assign_reviewers(
    items: Sequence[AuditItem], reviewers: Sequence[Reviewer], *, k: int = 2, seed: int
) -> Assignment:
    """Give every item k distinct reviewers from other units, spreading the work evenly.

    Parameters
    ----------
    items
        The sampled items; ids must be unique.
    reviewers
        The reviewers; names must be unique. A reviewer never gets an item their own unit handled.
    k
        Reviewers per item (1 or more).
    seed
        Seed of the assignment: the same items, reviewers, k and seed give the same assignment.

    Returns
    -------
    Assignment
        ``pairs`` maps each item id (in input order) to its k reviewer names (in the reviewers' order).
        With T = k · items slots over R reviewers, every load is ⌊T/R⌋ or ⌈T/R⌉ whenever some valid
        assignment allows it; otherwise the highest load is as low as any valid assignment allows.

    Raises
    ------
    AssignmentInfeasible
        Some unit's items have fewer than k reviewers from other units; names the unit and the numbers.
    AuditError
        k < 1, no items, no reviewers, or an item id or reviewer name given twice.
    """
    _check_inputs(items, reviewers, k)
    rng = random.Random(f"{seed}|assign")
    item_order = list(range(len(items)))
    rng.shuffle(item_order)
    reviewer_order = list(range(len(reviewers)))
    rng.shuffle(reviewer_order)
    shuffled = [reviewers[r] for r in reviewer_order]

    # eligibility depends only on the item's unit code and name: one group per pair
    group_of: dict[tuple[str, str], int] = {}
    eligible: list[list[int]] = []
    for index in range(len(items)):
        item = items[index]
        if (item.unit, item.unit_name) in group_of:
            continue
        group_of[item.unit, item.unit_name] = len(eligible)
        allowed = [u for u, reviewer in enumerate(shuffled) if not reviewer.same_unit(item)]
        if len(allowed) < k:
            raise AssignmentInfeasible(
                f"unit {item.unit_name} ({item.unit}): its items need {k} reviewers from other units, "
                f"only {len(allowed)} reviewers are not from it",
                unit=item.unit,
                needed=k,
                available=len(allowed),
            )
        eligible.append(allowed)

    # the item with the fewest choices goes first; among equals, the shuffled order
    order = sorted(item_order, key=lambda i: len(eligible[group_of[items[i].unit, items[i].unit_name]]))
    groups = [group_of[items[i].unit, items[i].unit_name] for i in order]
    allowed_sets = [set(allowed) for allowed in eligible]
    barred = [
        frozenset(g for g, allowed in enumerate(allowed_sets) if u not in allowed)
        for u in range(len(shuffled))
    ]
    state = _Loads(groups, barred, len(eligible))
    for i, g in enumerate(groups):
        for _, _, u in heapq.nsmallest(k, ((state.load(u), rng.random(), u) for u in eligible[g])):
            state.add(i, u)

    while (path := state.shift_path()) is not None:
        for u, w in pairwise(path):
            state.take(u, w)

    position = {reviewer.name: n for n, reviewer in enumerate(reviewers)}
    chosen = {
        items[original].id: tuple(sorted((shuffled[u].name for u in state.on[i]), key=position.__getitem__))
        for i, original in enumerate(order)
    }
    return Assignment(seed=seed, k=k, pairs={item.id: chosen[item.id] for item in items})


def assignment_problems(
    assignment: Assignment, items: Sequence[AuditItem], reviewers: Sequence[Reviewer]
) -> list[str]:
    """Everything wrong with ``assignment`` for these items and reviewers, in plain words.

    Checks that every item has exactly ``assignment.k`` distinct, known reviewers, none from the unit that
    handled it, and that the assignment names no item outside ``items``. Loads are not checked.

    Parameters
    ----------
    assignment
        The assignment to check, e.g. read back from a file.
    items, reviewers
        The audit's sampled items and its reviewers.

    Returns
    -------
    list[str]
        One line per problem (empty when the assignment is sound), in item order.
    """
    problems: list[str] = []
    by_name: dict[str, Reviewer] = {}
    for reviewer in reviewers:
        if reviewer.name in by_name:
            problems.append(f"reviewer {reviewer.name!r} appears more than once among the reviewers")
        by_name[reviewer.name] = reviewer
    known: set[str] = set()
    for item in items:
        if item.id in known:
            problems.append(f"item {item.id!r} appears more than once among the items")
            continue
        known.add(item.id)
        names = assignment.pairs.get(item.id)
        if names is None:
            problems.append(f"item {item.id!r} has no reviewers assigned")
            continue
        if len(names) != assignment.k:
            problems.append(f"item {item.id!r} has {len(names)} reviewer(s), expected {assignment.k}")
        seen: set[str] = set()
        for name in names:
            if name in seen:
                problems.append(f"item {item.id!r} lists reviewer {name!r} more than once")
                continue
            seen.add(name)
            found = by_name.get(name)
            if found is None:
                problems.append(f"item {item.id!r}: reviewer {name!r} is not among the reviewers")
            elif found.same_unit(item):
                problems.append(
                    f"item {item.id!r}: reviewer {name!r} is from unit {found.unit}, "
                    f"which handled it ({item.unit_name}, {item.unit}): self-review"
                )
    for item_id in assignment.pairs:
        if item_id not in known:
            problems.append(f"item {item_id!r} is assigned but is not among the items")
    return problems
