"""Identity numbers and phone numbers of the right shape.

ID numbers follow GB 11643-1999: 6-digit address code, birth date YYYYMMDD, 3-digit order code whose
parity gives the sex (odd male, even female) and an ISO 7064 MOD 11-2 check character.
"""

from __future__ import annotations

import random
from datetime import date
from operator import mul

from toolkit.domain.codes import Sex
from toolkit.generate.draw import between, pick

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(map(mul, map(int, first17), _WEIGHTS))
    return _CHECK[total % 11]


def make_id_number(rng: random.Random, area_code: str, birth: date, sex: Sex) -> str:
    """An 18-character ID number for someone born on ``birth`` with ``sex``."""
    order = between(rng, 0, 500) * 2 + (1 if sex is Sex.MALE else 0)
    first17 = f"{area_code}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_char(first17)


def id_number_valid(number: str) -> bool:
    """True when ``number`` has 18 characters, a real birth date and the right check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_char(number[:17]) == number[17]


def id_birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_sex(number: str) -> Sex:
    return Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE


def make_mobile(rng: random.Random, prefixes: tuple[str, ...]) -> str:
    return f"{pick(rng, prefixes)}{between(rng, 0, 10**8):08d}"
