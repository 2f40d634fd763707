"""The stylesheet works offline and names the CJK fonts in order."""

from __future__ import annotations

import re

from toolkit.ui.style import CSS, FONT_STACK, stylesheet

FONTS = [
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
]


def test_nothing_is_fetched() -> None:
    lowered = CSS.lower()
    assert "@import" not in lowered
    assert "url(" not in lowered
    assert not re.search(r"https?:|//[a-z]", lowered)


def test_font_stack_order() -> None:
    names = re.findall(r'"([^"]+)"', FONT_STACK)
    assert names == FONTS
    assert FONT_STACK.rstrip().endswith("sans-serif")
    assert FONT_STACK in CSS


def test_braces_balance_and_projector_sizes() -> None:
    assert CSS.count("{") == CSS.count("}")
    assert "font-size: 18px" in CSS


def test_stylesheet_widget() -> None:
    sheet = stylesheet()
    assert sheet.value == f"<style>{CSS}</style>"
