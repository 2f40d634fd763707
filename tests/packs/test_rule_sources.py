"""Every rule of the default pack names its source down to the article, or says why it cannot.

Issue 16: "Every rule in the pack names its source down to the article (第N条) and says whether it is
national, a local practice (whose), or the pack's own training simplification. Where you cannot find the
text, write `unverified` in the source."
"""

from __future__ import annotations

import re

from toolkit.domain.codes import Basis
from toolkit.packs import Pack

ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")
LOCAL = re.compile(r"(市|区|县)[^；]*(地方做法)")


def _rules(pack: Pack) -> list[tuple[str, Basis, str]]:
    r = pack.rules
    return [
        *((f"routing.{k}", v.basis, v.source) for k, v in r.routing.items()),
        *((f"deadline.{d.code}", d.basis, d.source) for d in (*r.deadlines, *r.disabled)),
        *((f"escalation.{e.code}", e.basis, e.source) for e in r.escalation),
        *((f"proposal.{p.proposal.value}", p.basis, p.source) for p in r.proposals),
    ]


def test_every_rule_has_a_source_and_a_note(pack: Pack) -> None:
    r = pack.rules
    for name, _, source in _rules(pack):
        assert source.strip(), name
    for d in (*r.deadlines, *r.disabled):
        assert d.note.strip(), d.code
    for key, rule in r.routing.items():
        assert rule.note.strip(), key


def test_a_national_rule_names_its_article_or_says_unverified(pack: Pack) -> None:
    for name, basis, source in _rules(pack):
        if basis is Basis.NATIONAL:
            assert ARTICLE.search(source) or "unverified" in source, (name, source)
            assert "《" in source and re.search(r"》\(\d{4}\)", source), (name, source)


def test_a_local_rule_names_the_office_whose_practice_it_is(pack: Pack) -> None:
    local = [(n, s) for n, b, s in _rules(pack) if b is Basis.LOCAL]
    assert local, "the default pack keeps its local practices (switched off where they are not national)"
    for name, source in local:
        assert LOCAL.search(source), (name, source)
    schemes = pack.rules.card_schemes
    assert all(LOCAL.search(s.source) for s in schemes), [s.source for s in schemes]


def test_a_training_rule_says_it_is_the_packs_own(pack: Pack) -> None:
    for name, basis, source in _rules(pack):
        if basis is Basis.TRAINING:
            assert "本训练包" in source or "unverified" in source, (name, source)


def test_local_practices_that_are_no_national_rule_are_switched_off(pack: Pack) -> None:
    """当天反馈 (沙市区) and the 五环 limits (隆昌市) are local: kept, but not keyed by default."""
    off = {d.code: d for d in pack.rules.disabled}
    assert {"local_same_day_feedback", "local_consultation", "local_general"} <= set(off)
    assert "沙市区" in off["local_same_day_feedback"].source
    assert all(d.basis is not Basis.LOCAL for d in pack.rules.deadlines)
