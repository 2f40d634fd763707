"""Names a package exports but imports on first use (PEP 562).

A page's kernel pays only for what it touches: :mod:`toolkit.ui` imports an app's module when the
notebook asks for that app, :mod:`toolkit.store` loads SQLAlchemy when a caller first asks for the store.
A package keeps its ``TYPE_CHECKING`` imports for the type checker and lets this module answer at run time.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, modules: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose name → submodule table is ``modules``.

    A name is imported from ``<package>.<submodule>`` when first asked for and then kept in the package's
    namespace, so later lookups do not come here again.
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *modules})

    return __getattr__, __dir__
