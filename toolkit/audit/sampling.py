"""Drawing an audit sample: how many items (a rate per stratum, or Cochran's formula) and which ones.

Every draw is seeded: each stratum gets its own ``random.Random`` seeded with the audit seed and the
stratum's key, and picks from the stratum's items sorted by id, so the same population, seed and options
give the same sample whatever order the items come in. The :class:`~toolkit.audit.model.SizeRule` keeps
every number used, with the formula written out, so the page can show the working.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from fractions import Fraction
from statistics import NormalDist

from toolkit.audit.model import STRATA_KEYS, AuditItem, Sample, SizeRule, StratumCount
from toolkit.errors import AuditError


def _num(x: float, places: int) -> str:
    """``x`` with ``places`` decimals, or more digits when that would misstate it."""
    text = f"{x:.{places}f}"
    return text if float(text) == x else f"{x:.6g}"


def _share(name: str, value: float) -> None:
    """Check that ``value`` lies strictly between 0 and 1."""
    if not 0 < value < 1:
        raise AuditError(f"{name} must lie strictly between 0 and 1, got {value!r}")


def cochran_size(
    population: int, *, confidence: float = 0.95, margin: float = 0.05, proportion: float = 0.5
) -> SizeRule:
    """Sample size by Cochran's formula with the finite-population correction.

    ``n0 = z² · p · (1 − p) / e²`` and ``n = n0 / (1 + (n0 − 1) / N)``, rounded up and never above N.

    Parameters
    ----------
    population
        N, the number of items sampled from (0 or more).
    confidence
        The confidence level, e.g. 0.95; z is the two-sided normal quantile for it.
    margin
        e, the margin of error, e.g. 0.05.
    proportion
        p, the expected share of items with a problem; 0.5 is the most cautious guess.

    Returns
    -------
    SizeRule
        ``method="confidence"``, the size n and every intermediate value, with the formula written out.

    Raises
    ------
    AuditError
        When a share is not strictly between 0 and 1 or the population is negative.
    """
    _share("confidence", confidence)
    _share("margin", margin)
    _share("proportion", proportion)
    if population < 0:
        raise AuditError(f"population must be 0 or more, got {population!r}")
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    head = (
        f"n0 = {z:.3f}² × {_num(proportion, 2)} × {_num(1 - proportion, 2)} / {_num(margin, 3)}² = {n0:.2f}"
    )
    if population == 0:
        size = 0
        formula = f"{head}; N = 0 → n = 0"
    else:
        n = n0 / (1 + (n0 - 1) / population)
        # rounding first keeps float noise (80.0000000001) from adding an item
        size = min(population, math.ceil(round(n, 9)))
        formula = f"{head}; n = {n0:.2f} / (1 + ({n0:.2f} − 1) / {population}) = {n:.2f} → {size}"
    return SizeRule(
        method="confidence",
        population=population,
        size=size,
        confidence=confidence,
        margin=margin,
        proportion=proportion,
        z=z,
        n0=n0,
        formula=formula,
    )


def _check_population(items: Sequence[AuditItem]) -> None:
    """Refuse an empty population or one with an id twice."""
    if not items:
        raise AuditError("the population is empty: there is nothing to sample from")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise AuditError(f"item id {item.id!r} appears more than once in the population")
        seen.add(item.id)


def _check_keys(by: Sequence[str]) -> tuple[str, ...]:
    """The stratum keys as a tuple; unknown or repeated keys are refused."""
    keys = (by,) if isinstance(by, str) else tuple(by)
    for key in keys:
        if key not in STRATA_KEYS:
            raise AuditError(f"cannot stratify by {key!r}; use one of {', '.join(STRATA_KEYS)}")
    if len(set(keys)) != len(keys):
        raise AuditError(f"a stratum key is given twice in {', '.join(keys)}")
    return keys


def _largest_remainder(total: int, sizes: Sequence[int]) -> list[int]:
    """Share ``total`` out in proportion to ``sizes`` (largest remainder; ties to the earlier one)."""
    whole = sum(sizes)
    shares = [total * s // whole for s in sizes]
    left = total - sum(shares)
    by_remainder = sorted(range(len(sizes)), key=lambda h: (-(total * sizes[h] % whole), h))
    for h in by_remainder[:left]:
        shares[h] += 1
    return shares


def draw_sample(
    items: Sequence[AuditItem],
    *,
    seed: int,
    by: Sequence[str] = (),
    rate: float | None = None,
    min_per_stratum: int = 0,
    confidence: float | None = None,
    margin: float = 0.05,
    proportion: float = 0.5,
) -> Sample:
    """Draw a stratified random sample from ``items``.

    Parameters
    ----------
    items
        The population; ids must be unique.
    seed
        Seed of the draw; the same items, seed and options give the same sample in any input order.
    by
        Attributes to stratify by (each one of :data:`~toolkit.audit.model.STRATA_KEYS`); none: one stratum.
    rate
        Share of each stratum to draw, ``0 < rate ≤ 1``: ``n_h = ⌈rate · N_h⌉``.
    min_per_stratum
        At least this many from each stratum (the whole stratum when it is smaller).
    confidence, margin, proportion
        Size the sample with :func:`cochran_size` over the whole population instead, allocated to the
        strata in proportion to their sizes by the largest-remainder method. Exactly one of ``rate`` and
        ``confidence`` must be given.

    Returns
    -------
    Sample
        The chosen ids in population order, the count per stratum (strata ordered by key) and the
        size rule with its formula.

    Raises
    ------
    AuditError
        Neither or both of ``rate`` and ``confidence``; a share outside its range; an unknown stratum key;
        a negative minimum; an empty population or an id given twice.
    """
    if (rate is None) == (confidence is None):
        raise AuditError("give exactly one of rate and confidence to size the sample")
    keys = _check_keys(by)
    if min_per_stratum < 0:
        raise AuditError(f"min_per_stratum must be 0 or more, got {min_per_stratum!r}")
    if rate is not None and not 0 < rate <= 1:
        raise AuditError(f"rate must be more than 0 and at most 1, got {rate!r}")
    _check_population(items)

    groups: dict[tuple[str, ...], list[AuditItem]] = {}
    for item in items:
        groups.setdefault(item.stratum(keys), []).append(item)
    strata = sorted(groups)
    sizes = [len(groups[key]) for key in strata]
    population = len(items)

    def floor_at_minimum(n_h: int, size: int) -> int:
        return min(size, max(n_h, min_per_stratum))

    if rate is not None:
        exact = Fraction(str(rate))  # the decimal as written: 0.1 × 30 is 3, not 3.0000000000000004
        counts = [floor_at_minimum(math.ceil(exact * size), size) for size in sizes]
        shown = f"⌈{_num(rate, 2)} × N_h⌉"
        term = f"max({shown}, {min_per_stratum}), capped at N_h" if min_per_stratum else shown
        rule = SizeRule(
            method="rate",
            population=population,
            size=sum(counts),
            min_per_stratum=min_per_stratum,
            rate=rate,
            formula=f"n_h = {term}; n = Σ n_h = {sum(counts)}",
        )
    else:
        assert confidence is not None
        base = cochran_size(population, confidence=confidence, margin=margin, proportion=proportion)
        shares = _largest_remainder(base.size, sizes)
        counts = [floor_at_minimum(share, size) for share, size in zip(shares, sizes, strict=True)]
        formula = base.formula
        if len(strata) > 1:
            formula += "; shared in proportion to N_h (largest remainder)"
        if sum(counts) != base.size:
            formula += f"; with per-stratum minimums {sum(counts)}"
        rule = SizeRule(
            method="confidence",
            population=population,
            size=sum(counts),
            min_per_stratum=min_per_stratum,
            confidence=base.confidence,
            margin=base.margin,
            proportion=base.proportion,
            z=base.z,
            n0=base.n0,
            formula=formula,
        )

    chosen: set[str] = set()
    for key, count in zip(strata, counts, strict=True):
        pool = sorted(groups[key], key=lambda item: item.id)
        rng = random.Random(f"{seed}|sample|{'/'.join(key)}")
        chosen.update(item.id for item in rng.sample(pool, count))
    return Sample(
        seed=seed,
        by=keys,
        rule=rule,
        item_ids=tuple(item.id for item in items if item.id in chosen),
        strata=tuple(
            StratumCount(key, size, count) for key, size, count in zip(strata, sizes, counts, strict=True)
        ),
    )
