"""notebooks/home.ipynb: a thin page (one code cell), and it runs in a real kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "home.ipynb"


def test_home_notebook_is_one_code_cell() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.kernelspec.name == "python3"
    assert [cell.cell_type for cell in nb.cells] == ["code"]
    (cell,) = nb.cells
    assert cell.source == "from toolkit.ui import home_app\nhome_app().widget"
    assert cell.outputs == [] and cell.execution_count is None


def test_home_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Executed as Voila would (without Voila): the widget is displayed, in the requested language."""
    for name in ("VOILA_BASE_URL", "VOILA_PREHEAT", "VOILA_KERNEL_ID", "VOILA_SERVER_URL", "XFKIT_PACK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUERY_STRING", "lang=en")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    (cell,) = nb.cells
    assert [out.output_type for out in cell.outputs] == ["execute_result"]
    assert "application/vnd.jupyter.widget-view+json" in cell.outputs[0].data
    models = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"].values()
    values = [m["state"].get("value") for m in models if m["model_name"] == "HTMLModel"]
    shown = "\n".join(v for v in values if isinstance(v, str) and not v.startswith("<style"))
    assert "Training and Quality Review Toolkit" in shown
    assert "default@" in shown
    assert "xf-msg" not in shown  # no message: the pack loaded, nothing failed
