"""The trainer desk, built headless: the kernel re-checks the role before showing anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.i18n import t
from toolkit.store import Store
from toolkit.ui.context import LEARNER, TRAINER, PageContext
from toolkit.ui.trainer import trainer_app

Text = Callable[[Any], str]


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    with Store.open(url) as store:
        store.add_submission(
            app="intake", actor="张三", item_id="c1", pack="default@1.0.0", seed=1, payload={}
        )
        store.log_event("refused", "李四", {"why": "round closed"})
    monkeypatch.setenv("XFKIT_DB", url)
    return url


def test_a_learner_sees_only_the_refusal(store_url: str, text_of: Text) -> None:
    page = trainer_app(PageContext(lang="zh", role=LEARNER, query={"key": "wrong"}))
    text = text_of(page.widget)
    assert t("error.access_denied", "zh") in text
    assert t("trainer.overview", "zh") not in text and "李四" not in text and "sqlite" not in text


def test_a_trainer_sees_the_store_and_the_log(store_url: str, text_of: Text) -> None:
    page = trainer_app(PageContext(lang="en", role=TRAINER, query={"key": "k"}))
    text = text_of(page.widget)
    assert t("trainer.overview", "en") in text and t("trainer.tools", "en") in text
    assert "refused" in text and "李四" in text
    assert t("app.console.title", "en") in text, "the trainer tools are listed"
    assert t("error.access_denied", "en") not in text


def test_a_password_in_the_store_url_is_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text_of: Text
) -> None:
    monkeypatch.setenv("XFKIT_DB", "postgresql+psycopg://xf:topsecret@127.0.0.1:1/xf?connect_timeout=1")
    page = trainer_app(PageContext(lang="zh", role=TRAINER, query={}))
    text = text_of(page.widget)
    assert "topsecret" not in text, "neither in the overview nor in the error message"
