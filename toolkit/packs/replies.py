"""The pack's ``replies.yaml``: officer replies for visits and calls, the faults they commit, and the
visitor's reactions. Read by :func:`build_replies`; used by :mod:`toolkit.generate.conversation`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from toolkit.domain.conversation import Fault
from toolkit.packs.yamlio import PathKey, YamlDoc

Fail = Callable[[PathKey, str], None]


@dataclass(frozen=True, slots=True)
class Replies:
    """Everything a conversation is made from (see docs/pack-format.md)."""

    faults: Mapping[str, Fault]


def build_replies(
    doc: YamlDoc, fail: Fail, *, temperaments: frozenset[str], stages: frozenset[str]
) -> Replies:
    """The replies of ``doc`` (already schema-checked); cross-checks report through ``fail``."""
    return Replies(faults={})
