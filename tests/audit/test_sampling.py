"""Drawing audit samples: sizes by rate and by Cochran's formula, strata, reproducibility."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.audit.model import AuditItem
from toolkit.audit.sampling import cochran_size, draw_sample
from toolkit.errors import AuditError


def population(sizes: dict[str, int], *, category: str = "") -> list[AuditItem]:
    """Items ``<unit>-<n>`` for each unit and count; categories alternate a/b unless given."""
    out: list[AuditItem] = []
    for unit, size in sizes.items():
        for n in range(size):
            out.append(AuditItem(f"{unit}-{n:03d}", unit, f"单位{unit}", category=category or "ab"[n % 2]))
    return out


def cochran(n_pop: int, z: float = 1.959963984540054, e: float = 0.05, p: float = 0.5) -> int:
    """The textbook formula, written out again here."""
    n0 = z**2 * p * (1 - p) / e**2
    return math.ceil(n0 / (1 + (n0 - 1) / n_pop))


@pytest.mark.parametrize(("n_pop", "expected"), [(800, 260), (10000, 370), (100, 80)])
def test_cochran_known_sizes(n_pop: int, expected: int) -> None:
    assert cochran(n_pop) == expected
    rule = cochran_size(n_pop)
    assert rule.size == expected
    assert rule.method == "confidence"
    assert rule.population == n_pop
    assert rule.z == pytest.approx(1.95996, abs=1e-5)
    assert rule.n0 == pytest.approx(384.146, abs=1e-3)
    assert rule.formula.startswith("n0 = 1.960² × 0.50 × 0.50 / 0.050² = 384.15; ")
    assert rule.formula.endswith(
        f"/ {n_pop}) = {384.1458820694123 / (1 + 383.1458820694123 / n_pop):.2f} → {expected}"
    )


def test_cochran_other_parameters_and_small_populations() -> None:
    z90 = 1.6448536269514722
    assert cochran_size(500, confidence=0.9, margin=0.1, proportion=0.3).size == cochran(500, z90, 0.1, 0.3)
    assert cochran_size(0).size == 0
    assert cochran_size(1).size == 1
    for n_pop in range(1, 60):
        assert cochran_size(n_pop).size <= n_pop


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"confidence": 1.0}, "confidence"),
        ({"confidence": 0.0}, "confidence"),
        ({"margin": 0.0}, "margin"),
        ({"margin": 1.5}, "margin"),
        ({"proportion": 1.0}, "proportion"),
        ({"proportion": -0.1}, "proportion"),
    ],
)
def test_cochran_bad_parameters_are_named(kwargs: dict[str, float], named: str) -> None:
    with pytest.raises(AuditError, match=named) as caught:
        cochran_size(100, **kwargs)
    assert repr(next(iter(kwargs.values()))) in str(caught.value)


def test_cochran_negative_population() -> None:
    with pytest.raises(AuditError, match="population .* -1"):
        cochran_size(-1)


def test_rate_sizes_follow_the_formula_per_stratum() -> None:
    sizes = {"A": 30, "B": 41, "C": 7, "D": 1, "E": 100}
    items = population(sizes)
    sample = draw_sample(items, seed=3, by=("unit",), rate=0.1, min_per_stratum=2)
    # ⌈0.1 × N⌉ with integers only (0.1 × 30 in floats is 3.0000000000000004)
    expected = {u: min(n, max(-(-n // 10), 2)) for u, n in sizes.items()}
    assert expected == {"A": 3, "B": 5, "C": 2, "D": 1, "E": 10}
    assert [(s.key, s.population, s.sample) for s in sample.strata] == [
        ((u,), sizes[u], expected[u]) for u in sorted(sizes)
    ]
    drawn = Counter(i.split("-")[0] for i in sample.item_ids)
    assert dict(drawn) == expected
    assert sample.rule.size == len(sample.item_ids) == sum(expected.values()) == 21
    assert sample.rule.method == "rate"
    assert sample.rule.rate == 0.1
    assert sample.rule.min_per_stratum == 2
    assert sample.rule.formula == "n_h = max(⌈0.10 × N_h⌉, 2), capped at N_h; n = Σ n_h = 21"


def test_minimum_larger_than_a_stratum_takes_the_whole_stratum() -> None:
    items = population({"A": 50, "B": 3, "C": 5})
    sample = draw_sample(items, seed=1, by=("unit",), rate=0.02, min_per_stratum=5)
    counts = {s.key: s.sample for s in sample.strata}
    assert counts == {("A",): 5, ("B",): 3, ("C",): 5}
    assert {i for i in sample.item_ids if i.startswith(("B", "C"))} == {
        i.id for i in items if i.unit in ("B", "C")
    }


def test_no_strata_and_two_keys() -> None:
    items = population({"A": 20, "B": 20})
    whole = draw_sample(items, seed=1, rate=0.25)
    assert whole.by == ()
    assert [(s.key, s.population, s.sample) for s in whole.strata] == [((), 40, 10)]
    assert whole.rule.formula == "n_h = ⌈0.25 × N_h⌉; n = Σ n_h = 10"
    crossed = draw_sample(items, seed=1, by=("unit", "category"), rate=0.25)
    assert [(s.key, s.population, s.sample) for s in crossed.strata] == [
        (("A", "a"), 10, 3),
        (("A", "b"), 10, 3),
        (("B", "a"), 10, 3),
        (("B", "b"), 10, 3),
    ]
    assert len(crossed.item_ids) == 12


def test_rate_one_takes_everything_in_input_order() -> None:
    items = population({"B": 4, "A": 3})
    sample = draw_sample(items, seed=9, by=("unit",), rate=1.0)
    assert sample.item_ids == tuple(i.id for i in items)


def test_same_seed_same_sample_in_any_input_order() -> None:
    items = population({"A": 40, "B": 25, "C": 12})
    first = draw_sample(items, seed=42, by=("unit", "category"), rate=0.2, min_per_stratum=2)
    again = draw_sample(items, seed=42, by=("unit", "category"), rate=0.2, min_per_stratum=2)
    assert again == first
    shuffled = items[:]
    random.Random(0).shuffle(shuffled)
    other = draw_sample(shuffled, seed=42, by=("unit", "category"), rate=0.2, min_per_stratum=2)
    assert set(other.item_ids) == set(first.item_ids)
    # the ids come in the order of the population given
    position = {item.id: n for n, item in enumerate(shuffled)}
    assert list(other.item_ids) == sorted(other.item_ids, key=position.__getitem__)
    assert other.strata == first.strata and other.rule == first.rule
    assert draw_sample(items, seed=43, by=("unit", "category"), rate=0.2).item_ids != first.item_ids


def test_a_stratum_draw_does_not_depend_on_other_strata() -> None:
    small = population({"A": 40, "B": 10})
    big = population({"A": 40, "B": 90})
    a_small = [i for i in draw_sample(small, seed=5, by=("unit",), rate=0.1).item_ids if i[0] == "A"]
    a_big = [i for i in draw_sample(big, seed=5, by=("unit",), rate=0.1).item_ids if i[0] == "A"]
    assert a_small == a_big


def test_confidence_allocation_by_largest_remainder() -> None:
    sizes = {"A": 500, "B": 230, "C": 60, "D": 10}
    items = population(sizes)
    sample = draw_sample(items, seed=2, by=("unit",), confidence=0.95)
    n = cochran(800)
    assert n == 260
    shares = {s.key[0]: s.sample for s in sample.strata}
    assert sum(shares.values()) == n == sample.rule.size == len(sample.item_ids)
    for unit, size in sizes.items():
        quota = n * size / 800
        assert math.floor(quota) <= shares[unit] <= math.ceil(quota)
    # quotas 162.5, 74.75, 19.5, 3.25: floors 258, the two extra go to the largest remainders (B, then A)
    assert shares == {"A": 163, "B": 75, "C": 19, "D": 3}
    assert sample.rule.method == "confidence"
    assert sample.rule.n0 == pytest.approx(384.146, abs=1e-3)
    assert sample.rule.formula.endswith("→ 260; shared in proportion to N_h (largest remainder)")


def test_confidence_with_minimums_grows_past_n() -> None:
    items = population({"A": 790, "B": 4, "C": 6})
    sample = draw_sample(items, seed=2, by=("unit",), confidence=0.95, min_per_stratum=5)
    shares = {s.key[0]: s.sample for s in sample.strata}
    # quotas 256.75, 1.3, 1.95 → 257, 1, 2 (sum 260), then minimums: B whole (4), C 5
    assert shares == {"A": 257, "B": 4, "C": 5}
    assert sample.rule.size == len(sample.item_ids) == 266
    assert sample.rule.min_per_stratum == 5
    assert "→ 260" in sample.rule.formula
    assert sample.rule.formula.endswith("with per-stratum minimums 266")


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 120), min_size=1, max_size=6),
    confidence=st.sampled_from([0.9, 0.95, 0.99]),
    margin=st.sampled_from([0.03, 0.05, 0.1]),
    minimum=st.integers(0, 8),
    seed=st.integers(0, 10**6),
)
def test_confidence_allocation_sums_to_n(
    sizes: list[int], confidence: float, margin: float, minimum: int, seed: int
) -> None:
    items = population({f"U{n}": size for n, size in enumerate(sizes)})
    n = cochran_size(len(items), confidence=confidence, margin=margin).size
    plain = draw_sample(items, seed=seed, by=("unit",), confidence=confidence, margin=margin)
    assert sum(s.sample for s in plain.strata) == n == len(plain.item_ids)
    for stratum in plain.strata:
        assert abs(stratum.sample - n * stratum.population / len(items)) < 1
    floored = draw_sample(
        items, seed=seed, by=("unit",), confidence=confidence, margin=margin, min_per_stratum=minimum
    )
    for before, after in zip(plain.strata, floored.strata, strict=True):
        assert after.sample == min(after.population, max(before.sample, minimum))
    assert floored.rule.size == len(floored.item_ids) == sum(s.sample for s in floored.strata)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of rate and confidence"),
        ({"rate": 0.1, "confidence": 0.95}, "exactly one of rate and confidence"),
        ({"rate": 0.0}, "rate .* 0.0"),
        ({"rate": 1.5}, "rate .* 1.5"),
        ({"confidence": 1.2}, "confidence .* 1.2"),
        ({"confidence": 0.95, "margin": 0.0}, "margin .* 0.0"),
        ({"confidence": 0.95, "proportion": 1.0}, "proportion .* 1.0"),
        ({"rate": 0.1, "by": ("unit", "colour")}, "'colour'.*unit, category, status, problem_type, channel"),
        ({"rate": 0.1, "min_per_stratum": -1}, "min_per_stratum .* -1"),
    ],
)
def test_bad_options_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(AuditError, match=message):
        draw_sample(population({"A": 5}), seed=1, **kwargs)  # type: ignore[arg-type]


def test_bad_populations() -> None:
    with pytest.raises(AuditError, match="empty"):
        draw_sample([], seed=1, rate=0.5)
    items = [*population({"A": 3}), AuditItem("A-001", "B", "单位B")]
    with pytest.raises(AuditError, match="'A-001'"):
        draw_sample(items, seed=1, rate=0.5)
