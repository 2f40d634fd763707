"""How a rule's source reads on a page.

A pack writes its sources for the people who maintain it: ``unverified`` where an article could not be
checked, ``rules.yaml <code>`` where a key follows the pack's own rule. A Chinese page says the same in
Chinese, from the message catalogue (``cite.*``): the word for unverified, and the rule's Chinese name in
place of the file and code. An English page shows the source as written.
"""

from __future__ import annotations

import re

from toolkit.errors import PackError
from toolkit.i18n import t
from toolkit.packs import Pack

__all__ = ["cited"]

_RULES_FILE = re.compile(r"\s*rules\.yaml(?:\s*([a-z][a-z0-9_]*))?\s*")
#: sections of rules.yaml a source may name instead of one rule
_SECTIONS = ("routing", "proposals", "deadlines", "escalation")


def _rule_name(pack: Pack | None, code: str | None, lang: str) -> str:
    if code in _SECTIONS:
        return t(f"cite.section.{code}", lang)
    if code and pack is not None:
        try:
            return t("cite.rule", lang, name=pack.rules.deadline(code).name_zh)
        except PackError:
            pass
    return t("cite.rules_file", lang)


def cited(source: str, lang: str, pack: Pack | None = None) -> str:
    """``source`` as the page shows it in ``lang`` (plain text; escape it for HTML afterwards)."""
    if lang == "en" or not source:
        return source
    text = source.replace("unverified", t("cite.unverified", lang))
    return _RULES_FILE.sub(lambda m: _rule_name(pack, m.group(1), lang), text)
