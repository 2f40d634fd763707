"""The page context: language and role are read on the server from the request's query string."""

from __future__ import annotations

import hmac
import os
from dataclasses import FrozenInstanceError
from typing import Any

import pytest

from toolkit.errors import AccessDenied, XfkitError
from toolkit.ui import context as context_module
from toolkit.ui.context import (
    LEARNER,
    TRAINER,
    VOILA_ENV_MARKERS,
    PageContext,
    context_from_query,
    is_trainer_key,
    page_context,
    request_query_string,
    require_trainer,
)

SECRET = "s3cret-Key_42"


def test_empty_query_gives_the_default_language_and_a_learner() -> None:
    ctx = context_from_query("", secret=SECRET, default="zh")
    assert (ctx.lang, ctx.role, dict(ctx.query), ctx.base_url) == ("zh", LEARNER, {}, "/")


@pytest.mark.parametrize(
    ("query", "default", "lang"),
    [
        ("lang=en", "zh", "en"),
        ("?lang=en-US", "zh", "en"),
        ("lang=zh_CN", "en", "zh"),
        ("lang=cn", "en", "zh"),
        ("lang=fr", "en", "en"),
        ("lang=", "en", "en"),
        ("other=1", "en-GB", "en"),
        ("lang=en&lang=zh", "zh", "en"),
        ("lang=%E4%B8%AD", "zh", "zh"),
    ],
)
def test_language_from_the_query(query: str, default: str, lang: str) -> None:
    assert context_from_query(query, secret=None, default=default).lang == lang


def test_query_parameters_are_kept_read_only() -> None:
    ctx = context_from_query("lang=en&key=abc&round=7&blank=", secret=None, default="zh")
    assert dict(ctx.query) == {"lang": "en", "key": "abc", "round": "7", "blank": ""}
    with pytest.raises(TypeError):
        ctx.query["lang"] = "zh"  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        ctx.role = TRAINER  # type: ignore[misc]


def test_trainer_only_with_the_right_secret() -> None:
    assert context_from_query(f"key={SECRET}", secret=SECRET, default="zh").role == TRAINER
    assert context_from_query(f"lang=en&key={SECRET}", secret=SECRET, default="zh").is_trainer


@pytest.mark.parametrize(
    ("query", "secret"),
    [
        ("key=wrong", SECRET),
        (f"key={SECRET}x", SECRET),
        (f"key={SECRET[:-1]}", SECRET),
        ("key=", SECRET),
        ("", SECRET),
        (f"Key={SECRET}", SECRET),
        ("key=", ""),
        ("key=", None),
        ("key=anything", ""),
        ("key=anything", None),
    ],
)
def test_wrong_missing_or_empty_secret_gives_a_learner(query: str, secret: str | None) -> None:
    assert context_from_query(query, secret=secret, default="zh").role == LEARNER


def test_non_ascii_keys_are_compared_without_error() -> None:
    assert is_trainer_key("口令", "口令")
    assert not is_trainer_key("口令", "ascii")


def test_the_secret_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, object]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert context_from_query(f"key={SECRET}", secret=SECRET, default="zh").is_trainer
    assert not context_from_query("key=guess", secret=SECRET, default="zh").is_trainer
    assert calls == [(SECRET.encode(), SECRET.encode()), (b"guess", SECRET.encode())]


def test_too_many_query_fields_are_ignored() -> None:
    query = "&".join(f"f{i}=1" for i in range(500)) + f"&key={SECRET}&lang=en"
    ctx = context_from_query(query, secret=SECRET, default="zh")
    assert (ctx.lang, ctx.role, dict(ctx.query)) == ("zh", LEARNER, {})


def test_base_url_gets_a_trailing_slash() -> None:
    assert context_from_query("", secret=None, default="zh", base_url="/user/ann").base_url == "/user/ann/"


def test_role_must_be_known() -> None:
    with pytest.raises(ValueError, match="role"):
        PageContext(lang="zh", role="admin", query={})


def test_require_trainer() -> None:
    require_trainer(PageContext(lang="zh", role=TRAINER, query={}))
    with pytest.raises(AccessDenied) as info:
        require_trainer(PageContext(lang="zh", role=LEARNER, query={}))
    assert isinstance(info.value, XfkitError)


@pytest.fixture
def plain_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No Voila variables, no query string, no secret, no language setting."""
    for name in (*VOILA_ENV_MARKERS, "QUERY_STRING", "XFKIT_TRAINER_SECRET", "XFKIT_LANG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_page_context_outside_voila_reads_query_string(plain_env: pytest.MonkeyPatch) -> None:
    assert request_query_string() == ""
    assert page_context() == PageContext(lang="zh", role=LEARNER, query={}, base_url="/")
    plain_env.setenv("QUERY_STRING", "lang=en&key=abc")
    plain_env.setenv("XFKIT_TRAINER_SECRET", "abc")
    ctx = page_context()
    assert (ctx.lang, ctx.role) == ("en", TRAINER)


def test_page_context_uses_the_server_language(plain_env: pytest.MonkeyPatch) -> None:
    plain_env.setenv("XFKIT_LANG", "en")
    assert page_context().lang == "en"


def test_under_voila_the_query_comes_from_voila(plain_env: pytest.MonkeyPatch) -> None:
    plain_env.setenv("VOILA_PREHEAT", "False")
    plain_env.setenv("VOILA_BASE_URL", "/hub/user/ann/")
    plain_env.setenv("QUERY_STRING", "lang=en")  # what Voila puts in a fresh kernel's environment
    context_module._voila_query_string.cache_clear()
    try:
        ctx = page_context()
    finally:
        context_module._voila_query_string.cache_clear()
    assert (ctx.lang, ctx.base_url) == ("en", "/hub/user/ann/")


def test_a_failure_to_reach_voila_gives_the_safe_default(plain_env: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise OSError("no websocket")

    plain_env.setenv("VOILA_PREHEAT", "True")
    plain_env.setenv("QUERY_STRING", f"key={SECRET}")
    plain_env.setenv("XFKIT_TRAINER_SECRET", SECRET)
    plain_env.setattr(context_module, "_voila_query_string", broken)
    ctx = page_context()
    assert ctx.role == LEARNER


def test_voila_variable_names_match_the_installed_voila() -> None:
    from voila.utils import ENV_VARIABLE

    names = {member.value for member in ENV_VARIABLE}
    assert set(VOILA_ENV_MARKERS) <= names
    assert {context_module.VOILA_BASE_URL_ENV, context_module.QUERY_STRING_ENV} <= names


def test_importing_the_ui_does_not_import_voila() -> None:
    import subprocess
    import sys

    code = "import sys, toolkit.ui, toolkit.ui.context\nprint('voila' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_preheated_kernel_reads_its_request_from_the_server(plain_env: pytest.MonkeyPatch) -> None:
    import json
    import threading

    from voila.utils import ENV_VARIABLE
    from websockets.sync.server import serve

    assert set(context_module.VOILA_REQUEST_ENV) <= {member.value for member in ENV_VARIABLE}
    asked: list[str] = []

    def handler(ws: Any) -> None:
        asked.append(ws.request.path)
        ws.send(json.dumps({"QUERY_STRING": "lang=en&key=abc", "SCRIPT_NAME": "/voila/render/contest.ipynb"}))

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        for name, value in {
            "VOILA_PREHEAT": "True",
            "VOILA_APP_PORT": str(port),
            "VOILA_SERVER_URL": "/",
            "VOILA_KERNEL_ID": "k-1",
            "XFKIT_TRAINER_SECRET": "abc",
        }.items():
            plain_env.setenv(name, value)
        plain_env.delenv("SCRIPT_NAME", raising=False)
        context_module._voila_query_string.cache_clear()
        try:
            ctx = page_context()
            assert request_query_string() == "lang=en&key=abc", "asked once, then kept"
        finally:
            context_module._voila_query_string.cache_clear()
            server.shutdown()
    assert asked == ["/voila/query/k-1"]
    assert (ctx.lang, ctx.role) == ("en", TRAINER)
    assert os.environ["SCRIPT_NAME"] == "/voila/render/contest.ipynb"
