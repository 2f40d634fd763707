"""Agreement between reviewers: Fleiss' kappa, Krippendorff's alpha and the Landis & Koch bands.

Both statistics come from maintained implementations (``statsmodels`` for kappa, ``krippendorff`` for
alpha); this module only shapes the data, checks it and says when a statistic is undefined (None).
The libraries are imported inside the functions: statsmodels takes seconds to import, and a page should
not pay for it until an audit report is actually computed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from toolkit.errors import AuditError

Level = Literal["nominal", "ordinal", "interval", "ratio"]

#: levels of measurement Krippendorff's alpha accepts
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

#: Landis & Koch (1977) bands, as (upper bound inclusive, code), after "poor" (below 0)
_BANDS: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
)


def _finite(value: float) -> float | None:
    """``value`` as a Python float, or None when it is nan or infinite."""
    number = float(value)
    return number if math.isfinite(number) else None


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa for a subjects × categories table of counts.

    Parameters
    ----------
    table
        One row per subject, one column per category; a cell is the number of raters who put that subject
        in that category. Every row has the same number of categories and sums to the same number of
        raters (at least 2).

    Returns
    -------
    float or None
        ``statsmodels.stats.inter_rater.fleiss_kappa(table, method="fleiss")``; None when kappa is
        undefined: fewer than 2 subjects, or every rating in one category (chance agreement is 1).

    Raises
    ------
    AuditError
        A row with a negative count, a different number of categories or a different number of raters
        than the first row, or fewer than 2 raters; the message names the row (``table[i]``, from 0).
    """
    rows = [list(row) for row in table]
    if not rows:
        return None
    categories = len(rows[0])
    raters = sum(rows[0])
    for i, row in enumerate(rows):
        if any(count < 0 for count in row):
            raise AuditError(f"table[{i}] has a negative count: {row}")
        if len(row) != categories:
            raise AuditError(f"table[{i}] has {len(row)} categories, table[0] has {categories}")
        if sum(row) != raters:
            raise AuditError(f"table[{i}] counts {sum(row)} raters, table[0] counts {raters}")
    if raters < 2:
        raise AuditError(f"table[0] counts {raters} rater(s); Fleiss' kappa needs at least 2 per subject")
    if len(rows) < 2:
        return None

    import numpy as np
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

    # all ratings in one category gives 0/0 (nan): undefined, not a warning
    with np.errstate(divide="ignore", invalid="ignore"):
        value = sm_fleiss_kappa(np.asarray(rows, dtype=float), method="fleiss")
    return _finite(value)


def krippendorff_alpha(data: Sequence[Sequence[float | None]], *, level: str = "interval") -> float | None:
    """Krippendorff's alpha for reliability data with missing values.

    Parameters
    ----------
    data
        One row per rater (coder), one column per unit; None where the rater gave no value for the unit.
        Every row has the same length.
    level
        Level of measurement: ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``.

    Returns
    -------
    float or None
        ``krippendorff.alpha(reliability_data=data, level_of_measurement=level)``; None when alpha is
        undefined: fewer than 2 pairable values (values in units that at least two raters rated), or no
        variation among the values.

    Raises
    ------
    AuditError
        An unknown ``level``, or rows of different lengths (the message names the row, from 0).
    """
    if level not in LEVELS:
        raise AuditError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    rows = [list(row) for row in data]
    if not rows:
        return None
    units = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != units:
            raise AuditError(f"data[{i}] has {len(row)} units, data[0] has {units}")
    per_unit = [sum(1 for row in rows if row[u] is not None) for u in range(units)]
    if sum(n for n in per_unit if n >= 2) < 2:
        return None

    import krippendorff
    import numpy as np

    matrix = np.array([[np.nan if v is None else float(v) for v in row] for row in rows], dtype=float)
    try:
        # no variation among the pairable values gives 0/0 (nan): undefined, not a warning
        with np.errstate(divide="ignore", invalid="ignore"):
            value = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
    except ValueError:
        # the library's "more than one value in the domain" / "at least two coders" cases
        return None
    return _finite(value)


def interpretation(value: float | None) -> str:
    """The Landis & Koch (1977) band of a kappa or alpha value.

    Parameters
    ----------
    value
        The statistic, or None when undefined.

    Returns
    -------
    str
        ``"undefined"`` (None or nan), ``"poor"`` (below 0), ``"slight"`` (up to 0.20), ``"fair"`` (up to
        0.40), ``"moderate"`` (up to 0.60), ``"substantial"`` (up to 0.80) or ``"almost_perfect"``.
    """
    if value is None or math.isnan(value):
        return "undefined"
    if value < 0:
        return "poor"
    for upper, code in _BANDS:
        if value <= upper:
            return code
    return "almost_perfect"


def pass_fail_table(passed_per_item: Sequence[Sequence[bool]]) -> list[list[int]]:
    """A Fleiss table from pass/fail judgements.

    Parameters
    ----------
    passed_per_item
        One inner sequence per subject: each rater's judgement, True for pass.

    Returns
    -------
    list of list of int
        One row ``[n_pass, n_fail]`` per subject, ready for :func:`fleiss_kappa`.
    """
    out: list[list[int]] = []
    for judgements in passed_per_item:
        passes = sum(1 for passed in judgements if passed)
        out.append([passes, len(judgements) - passes])
    return out
