"""Members of the public drawn from the pack's word lists (not from Faker, so seeds survive upgrades)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

from toolkit.domain.codes import Sex
from toolkit.domain.models import Person
from toolkit.generate.draw import between, pick
from toolkit.generate.ids import make_id_number, make_mobile
from toolkit.packs.model import Pack, Village


class PeopleMaker:
    """Draws names, birth dates, ID numbers, phones and addresses for one pack."""

    def __init__(self, pack: Pack) -> None:
        words = pack.words
        self.pack = pack
        self.surnames = words.surnames
        self.cum = tuple(accumulate(words.surname_weights))
        self.male = words.given_male + words.given_any
        self.female = words.given_female + words.given_any
        self.villages = pack.jurisdiction.villages()
        self.town_names = {t.code: t.name for t in pack.jurisdiction.towns}
        self.taken = frozenset(c.name for c in pack.cadres)

    def name(self, rng: random.Random, sex: Sex) -> str:
        """A full name; never one of the roster's cadres (a reporter is not confused with an accused)."""
        chars = self.male if sex is Sex.MALE else self.female
        while True:
            surname = rng.choices(self.surnames, cum_weights=self.cum)[0]
            given = pick(rng, chars) + (pick(rng, chars) if rng.random() < 0.72 else "")
            if surname + given not in self.taken:
                return surname + given

    def person(self, rng: random.Random, on: date, village: Village | None = None) -> Person:
        """Someone aged 22–78 on ``on``, living in ``village`` (or a random one)."""
        sex = Sex.MALE if rng.random() < 0.58 else Sex.FEMALE
        age_days = between(rng, 22 * 365, 78 * 365)
        birth = on - timedelta(days=age_days)
        home = village or pick(rng, self.villages)
        place = f"{self.pack.jurisdiction.district}{self.town_names[home.town]}{home.name}"
        if home.kind == "community":
            address = f"{place}{between(rng, 1, 30)}栋{between(rng, 1, 5)}单元"
        else:
            address = f"{place}{between(rng, 1, 12)}组"
        return Person(
            name=self.name(rng, sex),
            sex=sex,
            birth_date=birth,
            id_number=make_id_number(rng, pick(rng, self.pack.words.area_codes), birth, sex),
            phone=make_mobile(rng, self.pack.words.mobile_prefixes),
            address=address,
            town=home.town,
            village=home.code,
        )
