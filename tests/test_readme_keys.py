"""The README's "What the keys follow" names every rule the default pack keys by, with its basis."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.packs import Pack

README = Path(__file__).resolve().parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## What the keys follow")
    return text[start : text.index("\n## ", start + 1)]


def test_every_routing_deadline_and_proposal_rule_has_a_line(pack: Pack) -> None:
    section = _section()
    named = set(re.findall(r"`([a-z_]+)`", section))
    rules = pack.rules
    assert set(rules.routing) <= named, set(rules.routing) - named
    codes = {r.code for r in (*rules.deadlines, *rules.disabled)}
    assert codes <= named, codes - named
    proposals = {p.proposal.value for p in rules.proposals}
    assert proposals <= named, proposals - named


def test_each_line_says_its_basis_as_the_pack_does(pack: Pack) -> None:
    rows = {
        code: line
        for line in _section().splitlines()
        if line.startswith("| `")
        for code in re.findall(r"`([a-z_]+)`", line.split("|")[1])
    }
    rules = pack.rules
    for code, rule in rules.routing.items():
        assert rule.basis.value in rows[code], (code, rule.basis.value)
    for d in (*rules.deadlines, *rules.disabled):
        assert d.basis.value in rows[d.code], (d.code, d.basis.value)
