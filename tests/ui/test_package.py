"""The app package imports each app on first use, and an app's name is never its module's."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit.ui as ui
from toolkit.demo import write_demo_data
from toolkit.serve import warm_ledger_cache


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


#: what no page's kernel needs at open: the pack and the demo ledger come from the cache
NEVER = ("jsonschema", "openpyxl")
#: libraries of about 20–30 MB each that a page imports only if it uses them
HEAVY = ("pandas", "sqlalchemy")
#: the intake and fault-finding pages open their store at first use (StoreOnUse), after the form shows
USES = {"ledger": {"pandas"}, "intake": set(), "faults": set()}
USES |= {app: {"sqlalchemy"} for app in ("audit", "audit_desk", "contest", "console", "board", "trainer")}
PAGE = """
import json, sys
from toolkit import ui
page = getattr(ui, sys.argv[1] + "_app")()
page.widget
print(json.dumps({"modules": sorted(m for m in sys.argv[2:] if m in sys.modules), "kind": page.messages.kind,
                  "text": page.messages.text}))
"""


@pytest.fixture(scope="module")
def served_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder as ``xfkit serve``'s first run leaves it: demo data, the demo ledger in the cache."""
    data = tmp_path_factory.mktemp("served")
    write_demo_data(data / "demo")
    warm_ledger_cache(data / "demo" / "ledger.xlsx", "default")
    return data


@pytest.mark.parametrize("app", ["home", *sorted(USES)])
def test_a_page_imports_only_the_libraries_it_uses(app: str, served_data: Path) -> None:
    env = {
        **os.environ,
        "XFKIT_DATA": str(served_data),
        "XFKIT_DB": f"sqlite:///{served_data / 'xfkit.sqlite3'}",
        "XFKIT_TRAINER_SECRET": "s",
        "QUERY_STRING": "key=s",
    }
    run = subprocess.run(
        [sys.executable, "-c", PAGE, app, *NEVER, *HEAVY],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    built = json.loads(run.stdout.splitlines()[-1])
    if app != "board":  # the board without a competition code asks for the console's link
        assert built["kind"] != "error", built["text"]
    assert set(built["modules"]) == USES.get(app, set()), built["modules"]


def test_a_preheated_kernel_loads_the_store_before_its_request(served_data: Path) -> None:
    code = (
        "import sys\n"
        "from toolkit.ui import intake_app\n"
        "from toolkit.ui.context import context_from_query\n"
        "intake_app(context_from_query('', secret=None, default='zh')).widget\n"
        "print('sqlalchemy' in sys.modules)\n"
    )
    env = {**os.environ, "XFKIT_DATA": str(served_data), "XFKIT_DB": f"sqlite:///{served_data / 'p.sqlite3'}"}
    outputs = []
    for preheat in ("True", "False"):
        run = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "VOILA_PREHEAT": preheat},
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        outputs.append(run.stdout.strip().splitlines()[-1])
    assert outputs == ["True", "False"]  # cold: at the first use of the store instead
