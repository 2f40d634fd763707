"""Masking a reporter's personal data before anything reaches a reviewer (举报人信息保密).

Reviewers in a cross audit come from other units; they judge how an item was handled, not who reported it.
So every text a reviewer's page shows goes through a :class:`Masker` first:

- the reporter's own particulars, as the item lists them (:attr:`~toolkit.audit.model.AuditItem.personal`),
  are replaced wherever they occur, longest first: a name by :func:`mask_name`, a phone number by
  :func:`mask_phone`, an ID number by :func:`mask_id_number`;
- then any mobile number, 18-character ID number or landline number left in the text is masked too, listed
  or not (a witness's phone in a verification report, a number a clerk typed into a note).

The masked forms keep just enough to tell two people apart in a discussion: the surname (张**), a mobile's
first 3 and last 4 digits (138****1234), a landline's area code and last 2 digits (0571-******66), an ID
number's first 3 and last 2 characters (361*************1X: the length is kept, 13 stars for 18
characters). Masking errs on the side of hiding: another person whose name contains the reporter's loses
those characters too.

Pure functions over strings and plain dicts: nothing here reads files or keeps state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.audit.model import AuditItem
from toolkit.domain.models import Case

MASK = "*"
#: keys whose string values are codes the toolkit made (document ids, field keys, type codes): never
#: personal data, and masking could only break what refers to them
CODE_KEYS: frozenset[str] = frozenset({"id", "key", "type", "pack", "level"})

_ID_NUMBER = r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])"
_MOBILE = r"(?<![0-9])1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])"
_LANDLINE = r"(?<![0-9])(?:[(（]0[0-9]{2,3}[)）]\s?|0[0-9]{2,3}[-－ ]?)[0-9]{7,8}(?![0-9])"
#: numbers masked wherever they appear; at one position an ID number is tried before a mobile, a mobile
#: before a landline
NUMBERS = re.compile(f"(?P<id>{_ID_NUMBER})|(?P<mobile>{_MOBILE})|(?P<landline>{_LANDLINE})")
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]|[0-9]{15}")
_PHONE_SHAPE = re.compile(r"[0-9\s()（）+\-－]+")


def mask_name(name: str) -> str:
    """A name with all but its first character masked: ``"张三丰"`` → ``"张**"``, ``"李"`` → ``"*"``.

    Only the first character is kept, so a compound surname keeps just its first half
    (``"欧阳修"`` → ``"欧**"``). Surrounding whitespace is dropped; an empty name stays empty.
    """
    name = name.strip()
    if len(name) <= 1:
        return MASK * len(name)
    return name[0] + MASK * (len(name) - 1)


def mask_phone(number: str) -> str:
    """One phone number with most digits masked; separators and other characters stay as they are.

    A mobile (11 digits starting with 1, optionally after country code 86) keeps its first 3 and last 4
    digits: ``"13812341234"`` → ``"138****1234"``. A landline (starting with 0) keeps its area code and
    last 2 digits: ``"0571-88886666"`` → ``"0571-******66"``; without a separator the area code is taken
    as 3 digits for 010 and 02x, 4 otherwise. Anything else keeps only its last 2 digits (none when it has
    4 digits or fewer).
    """
    places = [i for i, ch in enumerate(number) if "0" <= ch <= "9"]
    digits = "".join(number[i] for i in places)
    n = len(digits)
    if n == 13 and digits.startswith("861"):
        head, tail = 5, 4
    elif n == 11 and digits.startswith("1"):
        head, tail = 3, 4
    elif digits.startswith("0") and n >= 9:
        head, tail = _area_code_length(number, digits), 2
    elif n > 4:
        head, tail = 0, 2
    else:
        head, tail = 0, 0
    hidden = set(places[head : n - tail])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(number))


def _area_code_length(number: str, digits: str) -> int:
    """Digits in the area code of a landline: the first digit run when a separator ends it, else 3 or 4."""
    first = re.match(r"\D*([0-9]+)", number)
    if first is not None and 3 <= len(first.group(1)) <= 4 and len(first.group(1)) < len(digits):
        return len(first.group(1))
    return 3 if digits[1] in "12" else 4


def mask_id_number(number: str) -> str:
    """An ID number with all but its first 3 and last 2 characters masked, its length kept.

    ``"36110319770901491X"`` → ``"361*************1X"``: the place code beyond the province, the birth date
    and most of the sequence number are hidden. Surrounding whitespace is dropped; a value of 5 characters
    or fewer is masked whole.
    """
    number = number.strip()
    if len(number) <= 5:
        return MASK * len(number)
    return number[:3] + MASK * (len(number) - 5) + number[-2:]


def mask_personal(value: str) -> str:
    """One listed personal value masked by its shape: an ID number, a phone number, or else a name."""
    value = value.strip()
    if _ID_SHAPE.fullmatch(value):
        return mask_id_number(value)
    if _PHONE_SHAPE.fullmatch(value) and sum(ch.isdigit() for ch in value) >= 5:
        return mask_phone(value)
    return mask_name(value)


def _mask_number(match: re.Match[str]) -> str:
    text = match.group(0)
    return mask_id_number(text) if match.lastgroup == "id" else mask_phone(text)


@dataclass(frozen=True, slots=True)
class Masker:
    """Masks a reporter's particulars, and every phone and ID number, in any text: ``masker(text)``.

    Parameters
    ----------
    personal
        The reporter's name, phone and ID number as they appear in the texts (blank values are ignored).
        Each occurrence is replaced by its masked form (:func:`mask_personal`), longest value first, in
        one pass; then :data:`NUMBERS` masks any number still in the text.
    """

    personal: Sequence[str]
    _masked: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = sorted({v.strip() for v in self.personal if v.strip()}, key=lambda v: (-len(v), v))
        object.__setattr__(self, "personal", tuple(values))
        object.__setattr__(self, "_masked", {v: mask_personal(v) for v in values})
        pattern = re.compile("|".join(map(re.escape, values))) if values else None
        object.__setattr__(self, "_pattern", pattern)

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._masked[m.group(0)], text)
        return NUMBERS.sub(_mask_number, text)


def _mask_value(value: Any, masker: Callable[[str], str]) -> Any:
    """``value`` with every string in it masked, recursively; a new structure, the input untouched."""
    if isinstance(value, str):
        return masker(value)
    if isinstance(value, Mapping):
        return {
            key: item if key in CODE_KEYS and isinstance(item, str) else _mask_value(item, masker)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_mask_value(item, masker) for item in value]
    return value


def mask_document_dict(doc: Mapping[str, Any], masker: Callable[[str], str]) -> dict[str, Any]:
    """A document's dict (``Document.to_dict()``) with every string value masked, codes excepted.

    Field values, machine values (``data``), paragraphs and the title are masked; the values of
    :data:`CODE_KEYS` (``id``, ``key``, ``type`` …) are left as they are. ``doc`` is not changed.
    """
    masked: dict[str, Any] = _mask_value(doc, masker)
    return masked


def mask_dossier(public: Mapping[str, Any], masker: Callable[[str], str]) -> dict[str, Any]:
    """A dossier's public dict (``Dossier.public_dict()``), every document masked; ``public`` unchanged."""
    out: dict[str, Any] = _mask_value(public, masker)
    return out


def masked_item_view(item: AuditItem) -> dict[str, Any]:
    """What a reviewer's page may show of ``item``: every text masked by ``Masker(item.personal)``.

    The personal data itself and the recipe of a generated dossier (``dossier``: its seed, from which the
    answer key can be made again) are left out. The item's id stays as it is: reviews are filed under it.
    """
    masker = Masker(item.personal)
    return {
        "id": item.id,
        "unit_name": masker(item.unit_name),
        "category": masker(item.category),
        "status": masker(item.status),
        "problem_type": masker(item.problem_type),
        "channel": masker(item.channel),
        "received": item.received.isoformat() if item.received else None,
        "summary": masker(item.summary),
        "fields": [[masker(label), masker(value)] for label, value in item.fields],
    }


def personal_of_case(case: Case) -> tuple[str, ...]:
    """The name, phone and ID number of ``case``'s reporter, as the case's texts show them.

    Blank or missing values are dropped, so an anonymous case gives ``()``. An impersonated item carries
    the particulars of a real person who did not send it: they are that person's data all the same and
    are returned too.
    """
    r = case.reporter
    return tuple(v for v in (r.name, r.phone, r.id_number) if v is not None and v.strip())
