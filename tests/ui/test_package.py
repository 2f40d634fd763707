"""The app package imports each app on first use, and an app's name is never its module's."""

from __future__ import annotations

import importlib
import subprocess
import sys

import toolkit.ui as ui


def test_every_app_is_a_function_even_after_its_module_was_imported() -> None:
    for name in ui.__all__:
        importlib.import_module(f"toolkit.ui.{ui._APPS[name]}")  # sets the module on the package
        assert callable(getattr(ui, name)), name
        assert getattr(ui, name).__name__ == name


def test_a_page_imports_only_its_own_app() -> None:
    heavy = ("toolkit.ui.audit_desk", "toolkit.ui.ledger_page", "pandas", "jsonschema")
    code = f"import sys, toolkit.ui; toolkit.ui.contest_app; print([m for m in {heavy} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
