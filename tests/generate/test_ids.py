"""ID numbers per GB 11643: check character, birth date and sex."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from toolkit.domain.codes import Sex
from toolkit.generate.ids import id_birth_date, id_check_char, id_number_valid, id_sex, make_id_number


def test_published_example() -> None:
    # the example number printed with the standard: 11010519491231002X
    assert id_check_char("11010519491231002") == "X"
    assert id_number_valid("11010519491231002X")
    assert not id_number_valid("110105194912310021")
    assert not id_number_valid("11010519491331002X")  # month 13


@given(
    st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)),
    st.sampled_from(list(Sex)),
    st.integers(min_value=0, max_value=2**32),
)
def test_made_numbers_are_valid_and_carry_birth_date_and_sex(birth: date, sex: Sex, seed: int) -> None:
    number = make_id_number(random.Random(seed), "361102", birth, sex)
    assert id_number_valid(number)
    assert id_birth_date(number) == birth and id_sex(number) is sex and number.startswith("361102")
    # one wrong digit is always caught by the check character
    wrong = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    assert not id_number_valid(wrong)
