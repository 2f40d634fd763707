"""The message catalogue: complete in both languages, consistent fields, every key used exists."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from toolkit.apps import APPS
from toolkit.i18n import (
    DEFAULT_LANG,
    LANGS,
    MissingMessage,
    catalogue,
    default_lang,
    fields_of,
    has_message,
    load_catalogue,
    normalise_lang,
    t,
)

ROOT = Path(__file__).resolve().parents[1]
UI_DIR = ROOT / "toolkit" / "ui"
CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def _ui_modules() -> list[Path]:
    return sorted(UI_DIR.glob("*.py"))


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _keys_used_in_ui() -> set[str]:
    """Literal keys in toolkit/ui.

    The first argument of ``t(...)``/``.t(...)``, any ``*_key=...`` keyword argument, the defaults of
    ``*_key`` parameters and constants named ``*_KEY``.
    """
    keys: set[str] = set()
    for path in _ui_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.arguments):
                positional = [*node.posonlyargs, *node.args]
                pairs = list(
                    zip(positional[len(positional) - len(node.defaults) :], node.defaults, strict=True)
                )
                pairs += [(a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d]
                keys.update(
                    value
                    for arg, default in pairs
                    if arg.arg.endswith("_key") and (value := _literal(default))
                )
                continue
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = _literal(node.value)
                if value and any(isinstance(tg, ast.Name) and tg.id.endswith("_KEY") for tg in targets):
                    keys.add(value)
                continue
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    keys.add(first.value)
            for keyword in node.keywords:
                if (
                    keyword.arg
                    and keyword.arg.endswith("_key")
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                ):
                    keys.add(keyword.value.value)
    return keys


def test_catalogue_is_not_empty_and_keys_are_dotted() -> None:
    assert len(catalogue()) > 30
    bad = [key for key in catalogue() if not KEY_SHAPE.match(key)]
    assert bad == []


def test_every_key_has_non_empty_text_in_every_language() -> None:
    for key, entry in catalogue().items():
        assert set(entry) == set(LANGS), key
        for lang in LANGS:
            assert entry[lang].strip(), f"{key}.{lang} is empty"


def test_chinese_text_is_chinese() -> None:
    """The zh text of every key has Chinese in it, except names written in their own language."""
    latin_ok = {"lang.en"}
    missing = [
        key for key, entry in catalogue().items() if key not in latin_ok and not CJK.search(entry["zh"])
    ]
    assert missing == []


def test_placeholders_match_across_languages() -> None:
    for key, entry in catalogue().items():
        assert fields_of(entry["zh"]) == fields_of(entry["en"]), key


def test_every_app_in_the_registry_has_its_messages() -> None:
    for app in APPS:
        for key in (app.title_key, app.summary_key, app.audience_key):
            assert has_message(key), f"{app.code}: {key} missing"


def test_every_key_used_in_the_ui_exists() -> None:
    used = _keys_used_in_ui()
    assert {"home.title", "common.busy", "error.unexpected"} <= used  # the scan finds calls at all
    assert sorted(key for key in used if not has_message(key)) == []


def test_error_message_keys_exist() -> None:
    from toolkit.ui.messages import ERROR_KEYS, GENERIC_ERROR_KEY

    assert all(has_message(key) for key in [*ERROR_KEYS.values(), GENERIC_ERROR_KEY])


def test_language_names_exist_for_every_language() -> None:
    assert all(has_message(f"lang.{lang}") for lang in LANGS)


@pytest.mark.parametrize("path", _ui_modules(), ids=lambda p: p.name)
def test_no_chinese_in_ui_string_literals(path: Path) -> None:
    """All user-facing Chinese comes from the catalogue (docstrings and f-string parts included)."""
    found = [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
    ]
    assert found == []


def test_home_title_is_the_product_name() -> None:
    assert t("home.title", "zh") == "信访举报业务训练与质量评查工具箱"
    assert t("app.intake.title", "zh") == "模拟受理"
    assert t("app.faults.title", "zh") == "互找茬"
    assert t("app.audit.title", "zh") == "质量评查"
    assert t("app.contest.title", "zh") == "擂台赛"
    assert t("app.console.title", "zh") == "擂台赛控制台"
    assert t("app.ledger.title", "zh") == "台账督办"
    assert t("app.home.title", "zh") == "首页"


def test_t_fills_fields_and_accepts_any_spelling_of_the_language() -> None:
    assert t("page.pack", "en", title="A", ref="a@1") == "Scenario pack: A (a@1)"
    assert t("page.pack", "zh-CN", title="A", ref="a@1") == "训练包：A（a@1）"
    assert t("home.title", "fr") == t("home.title", DEFAULT_LANG)


def test_unknown_key_raises_key_error_under_the_test_settings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingMessage)
        with pytest.raises(KeyError, match="no.such.key"):
            t("no.such.key", "zh")


def test_unknown_key_shows_the_key_and_warns_in_production() -> None:
    with pytest.warns(MissingMessage, match="no.such.key"):
        assert t("no.such.key", "en") == "no.such.key"


def test_missing_field_warns_and_returns_the_template() -> None:
    with pytest.warns(MissingMessage, match="page.pack"):
        assert t("page.pack", "en") == "Scenario pack: {title} ({ref})"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh_cn", "zh"),
        ("ZH_CN", "zh"),
        ("zh-Hans", "zh"),
        ("cn", "zh"),
        ("en", "en"),
        ("en-US", "en"),
        ("en_gb", "en"),
        (" EN ", "en"),
        ("", "zh"),
        (None, "zh"),
        ("fr", "zh"),
        ("english", "zh"),
        ("zhx", "zh"),
        ("-en", "zh"),
    ],
)
def test_normalise_lang(value: str | None, expected: str) -> None:
    assert normalise_lang(value) == expected


def test_normalise_lang_uses_the_given_default_for_unknown_values() -> None:
    assert normalise_lang("fr", default="en") == "en"
    assert normalise_lang("zh", default="en") == "zh"
    assert normalise_lang(None, default="en-US") == "en"
    assert normalise_lang("fr", default="klingon") == DEFAULT_LANG


def test_default_lang_reads_the_server_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XFKIT_LANG", raising=False)
    assert default_lang() == "zh"
    monkeypatch.setenv("XFKIT_LANG", "en_US")
    assert default_lang() == "en"
    monkeypatch.setenv("XFKIT_LANG", "de")
    assert default_lang() == "zh"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a.b: {zh: x}\n", "exactly the languages"),
        ("a.b: {zh: x, en: ''}\n", "a.b.en"),
        ("a.b: {zh: x, en: y}\na.b: {zh: x, en: y}\n", "duplicate key"),
        ("- a\n", "mapping"),
        ("a.b: {zh: [x], en: y}\n", "a.b.zh"),
    ],
)
def test_malformed_catalogues_are_rejected(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        load_catalogue(text, source="test.yaml")


def test_i18n_imports_no_widgets_or_web_stack() -> None:
    code = (
        "import sys, toolkit.i18n\n"
        "print(','.join(m for m in ('ipywidgets', 'voila', 'tornado', 'IPython') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("page", ["server.forbidden", "server.not_found", "server.error"])
def test_server_error_pages_have_their_messages(page: str) -> None:
    """toolkit/serve.py builds these keys as f"{key}.title" / f"{key}.body" (out of the literal scan)."""
    assert has_message(f"{page}.title") and has_message(f"{page}.body")
    assert has_message("server.back_home")
