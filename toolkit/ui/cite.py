"""How a rule's source reads on a page.

A pack writes its sources for the people who maintain it: ``unverified`` where an article could not be
checked, ``rules.yaml <code>`` where a key follows the pack's own rule. A Chinese page says the same in
Chinese: 未核实, and the rule's Chinese name (本训练包规则“问题线索办结”). An English page shows the source as
written.
"""

from __future__ import annotations

import re

from toolkit.errors import PackError
from toolkit.packs import Pack

__all__ = ["cited"]

_RULES_FILE = re.compile(r"\s*rules\.yaml(?:\s*([a-z][a-z0-9_]*))?\s*")
_SECTIONS = {
    "routing": "分办规则",
    "proposals": "处理意见对照表",
    "deadlines": "时限规则",
    "escalation": "提级办理规则",
}


def _rule_name(pack: Pack | None, code: str | None) -> str:
    if not code:
        return "规则文件"
    if code in _SECTIONS:
        return _SECTIONS[code]
    if pack is not None:
        try:
            return f"规则“{pack.rules.deadline(code).name_zh}”"
        except PackError:
            pass
    return "规则文件"


def cited(source: str, lang: str, pack: Pack | None = None) -> str:
    """``source`` as the page shows it in ``lang`` (plain text; escape it for HTML afterwards)."""
    if lang == "en" or not source:
        return source
    text = source.replace("unverified", "未核实")
    return _RULES_FILE.sub(lambda m: _rule_name(pack, m.group(1)), text)
