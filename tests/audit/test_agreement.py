"""Agreement statistics against published worked examples and a hand computation."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

import pytest

from toolkit.audit.agreement import fleiss_kappa, interpretation, krippendorff_alpha, pass_fail_table
from toolkit.errors import AuditError

#: Fleiss (1971), as reproduced on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters, 5 categories
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: observers A-D × 12 units
KRIPPENDORFF_2011: list[list[float | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def textbook_kappa(table: Sequence[Sequence[int]]) -> tuple[float, float, float]:
    """(P̄, P̄e, κ) by Fleiss' formula, written out independently of statsmodels."""
    subjects, raters, categories = len(table), sum(table[0]), len(table[0])
    p_j = [sum(row[j] for row in table) / (subjects * raters) for j in range(categories)]
    p_i = [(sum(c * c for c in row) - raters) / (raters * (raters - 1)) for row in table]
    p_bar = sum(p_i) / subjects
    p_e = sum(p * p for p in p_j)
    return p_bar, p_e, (p_bar - p_e) / (1 - p_e)


def test_fleiss_kappa_matches_the_published_example() -> None:
    p_bar, p_e, kappa = textbook_kappa(FLEISS_1971)
    assert round(p_bar, 3) == 0.378
    assert round(p_e, 3) == 0.213
    value = fleiss_kappa(FLEISS_1971)
    assert value is not None
    assert round(value, 3) == 0.210
    assert value == pytest.approx(kappa)


def test_fleiss_kappa_matches_a_hand_computation() -> None:
    # 4 subjects, 3 raters, pass/fail.
    # P_i = (Σ n_ij² − 3) / 6 = 1, 1/3, 1, 1/3, so P̄ = 2/3; p_j = 6/12 each, so P̄e = 1/2;
    # κ = (2/3 − 1/2) / (1 − 1/2) = 1/3
    table = [[3, 0], [2, 1], [0, 3], [1, 2]]
    assert textbook_kappa(table) == pytest.approx((2 / 3, 1 / 2, 1 / 3))
    assert fleiss_kappa(table) == pytest.approx(1 / 3)


def test_fleiss_kappa_is_one_for_perfect_agreement() -> None:
    assert fleiss_kappa([[2, 0], [0, 2], [2, 0]]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "table",
    [
        [],  # no subjects
        [[1, 2]],  # one subject
        [[3, 0], [3, 0], [3, 0]],  # every rating in one category: chance agreement is 1
    ],
)
def test_fleiss_kappa_is_none_when_undefined(table: list[list[int]]) -> None:
    assert fleiss_kappa(table) is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[2, 0], [1, 2]], r"table\[1\] counts 3 raters, table\[0\] counts 2"),
        ([[2, 0], [3, -1]], r"table\[1\] has a negative count"),
        ([[2, 0], [1, 0, 1]], r"table\[1\] has 3 categories"),
        ([[1, 0], [0, 1]], r"table\[0\] counts 1 rater"),
    ],
)
def test_fleiss_kappa_rejects_a_bad_table_naming_the_row(table: list[list[int]], message: str) -> None:
    with pytest.raises(AuditError, match=message):
        fleiss_kappa(table)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_matches_the_published_example(level: str, published: float) -> None:
    # Krippendorff (2011) gives these to 3 decimals; the krippendorff package's own tests assert the
    # ordinal (0.815) and ratio (0.797) values on the same data
    value = krippendorff_alpha(KRIPPENDORFF_2011, level=level)
    assert value is not None
    assert round(value, 3) == published


def test_krippendorff_alpha_defaults_to_interval() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011) == krippendorff_alpha(KRIPPENDORFF_2011, level="interval")


@pytest.mark.parametrize(
    "data",
    [
        [],  # no raters
        [[1, None], [None, 2]],  # no unit rated twice: nothing pairable
        [[80.0, 90.0]],  # one rater
        [[3, 3, 3], [3, 3, 3]],  # no variation
        [[1, 1, 3], [1, 1, None]],  # no variation among the pairable values
    ],
)
def test_krippendorff_alpha_is_none_when_undefined(data: list[list[float | None]]) -> None:
    assert krippendorff_alpha(data) is None


def test_krippendorff_alpha_rejects_an_unknown_level_and_ragged_rows() -> None:
    with pytest.raises(AuditError, match="'likert' is not one of nominal, ordinal, interval, ratio"):
        krippendorff_alpha(KRIPPENDORFF_2011, level="likert")
    with pytest.raises(AuditError, match=r"data\[1\] has 1 units, data\[0\] has 2"):
        krippendorff_alpha([[1, 2], [1]])


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (None, "undefined"),
        (float("nan"), "undefined"),
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.60, "moderate"),
        (0.80, "substantial"),
        (0.81, "almost_perfect"),
        (1.0, "almost_perfect"),
    ],
)
def test_interpretation_uses_the_landis_koch_bands(value: float | None, band: str) -> None:
    assert interpretation(value) == band


def test_pass_fail_table_counts_passes_then_fails() -> None:
    assert pass_fail_table([[True, True], [True, False], [False, False]]) == [[2, 0], [1, 1], [0, 2]]
    assert pass_fail_table([]) == []


def test_the_statistics_libraries_load_only_when_a_statistic_is_computed() -> None:
    code = (
        "import sys\n"
        "import toolkit.audit.agreement, toolkit.audit.results\n"
        "print(','.join(m for m in ('statsmodels', 'krippendorff') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
