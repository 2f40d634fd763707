"""The message catalogue: every user-facing string in Chinese (the default) and English.

All text lives in one file, ``toolkit/i18n/messages.yaml``: flat dotted keys, each mapping to
``{zh: ..., en: ...}``. Code refers to messages by key and picks the language with a setting:

>>> t("home.title", "zh")
'信访举报业务训练与质量评查工具箱'
>>> t("page.pack", "en", title="Default", ref="default@1.0.0")
'Scenario pack: Default (default@1.0.0)'

Unknown keys
------------
A key missing from the catalogue (or a placeholder without a value) is a programming error, but it must
never break a page in front of a class. :func:`t` therefore issues a :class:`MissingMessage` warning and
returns the key itself (or the unformatted text), so the page shows ``app.foo.title`` and the server log
names the problem. ``MissingMessage`` is both a ``UserWarning`` and a ``KeyError``: the test suite runs
with warnings as errors, so there the same call raises ``KeyError``-compatible ``MissingMessage``.

This module imports no widgets and no web stack; the server's error pages use it too.
"""

from __future__ import annotations

import os
import string
import warnings
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "LANG_ENV",
    "MissingMessage",
    "catalogue",
    "default_lang",
    "fields_of",
    "has_message",
    "html_lang",
    "load_catalogue",
    "normalise_lang",
    "t",
]

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_ENV = "XFKIT_LANG"
CATALOGUE_FILE = "messages.yaml"

# Language tags (lower case, "_" read as "-") accepted for each language, besides "<lang>-<anything>".
_ALIASES: Mapping[str, str] = MappingProxyType({"cn": "zh", "chs": "zh", "zh": "zh", "en": "en"})


class MissingMessage(KeyError, UserWarning):
    """A message key (or one of its fields) is missing: a warning in production, an error in tests."""


def normalise_lang(value: str | None, *, default: str = DEFAULT_LANG) -> str:
    """One of :data:`LANGS` for a language setting such as ``zh-CN``, ``zh_cn``, ``cn`` or ``en-US``.

    Anything not recognised (``None``, ``""``, ``fr``, ``english``) gives ``default`` (itself normalised;
    :data:`DEFAULT_LANG` unless given).
    """
    tag = (value or "").strip().lower().replace("_", "-")
    if tag in _ALIASES:
        return _ALIASES[tag]
    primary = tag.split("-", 1)[0]
    if primary in LANGS and primary != tag:
        return primary
    return default if default in LANGS else normalise_lang(default)


def default_lang() -> str:
    """The server's language setting: ``$XFKIT_LANG`` normalised, Chinese when unset."""
    return normalise_lang(os.environ.get(LANG_ENV))


def html_lang(lang: str) -> str:
    """The HTML ``lang`` attribute for ``lang`` (``zh-CN`` picks Simplified Chinese glyphs)."""
    return "en" if normalise_lang(lang) == "en" else "zh-CN"


# libyaml's parser when PyYAML was built with it: ten times faster, and every page's kernel reads this file
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type, misc]
    """SafeLoader that rejects a key given twice (PyYAML would silently keep the last one)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return dict(loader.construct_mapping(node))


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def load_catalogue(text: str, *, source: str = CATALOGUE_FILE) -> Mapping[str, Mapping[str, str]]:
    """Parse catalogue YAML and check its shape: every key maps to exactly one string per language.

    Raises
    ------
    ValueError
        Naming ``source`` and the key, for a malformed catalogue (a packaging bug, caught by the tests).
    """
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise ValueError(f"{source}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{source}: the catalogue must be a mapping of keys to {{zh, en}}")
    entries: dict[str, Mapping[str, str]] = {}
    for key, entry in data.items():
        if not isinstance(key, str):
            raise ValueError(f"{source}: key {key!r} is not a string")
        if not isinstance(entry, dict) or set(entry) != set(LANGS):
            raise ValueError(f"{source}: {key}: needs exactly the languages {', '.join(LANGS)}")
        for lang in LANGS:
            value = entry[lang]
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{source}: {key}.{lang}: must be a non-empty string")
        entries[key] = MappingProxyType({lang: str(entry[lang]) for lang in LANGS})
    return MappingProxyType(entries)


@cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """The shipped catalogue, read once per process."""
    text = resources.files(__name__).joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    return load_catalogue(text)


def has_message(key: str) -> bool:
    """Whether ``key`` is in the catalogue (no warning when it is not)."""
    return key in catalogue()


def fields_of(text: str) -> frozenset[str]:
    """The ``str.format`` field names used in ``text``."""
    return frozenset(
        name.split(".", 1)[0].split("[", 1)[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    )


def t(key: str, lang: str, **fields: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``fields``.

    Parameters
    ----------
    key
        A catalogue key such as ``"home.title"``.
    lang
        ``"zh"`` or ``"en"``; other spellings are normalised with :func:`normalise_lang`.
    **fields
        Values for the message's placeholders; they are inserted as given (escape them for HTML
        afterwards, not before).

    Returns
    -------
    str
        The text. For an unknown key, the key itself; for a missing field, the unformatted text. Both
        cases also issue a :class:`MissingMessage` warning (an error under the test suite's settings).
    """
    entry = catalogue().get(key)
    if entry is None:
        warnings.warn(MissingMessage(f"no message {key!r} in the catalogue"), stacklevel=2)
        return key
    text = entry[lang if lang in LANGS else normalise_lang(lang)]
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        warnings.warn(MissingMessage(f"message {key!r} cannot be filled: {exc!r}"), stacklevel=2)
        return text
