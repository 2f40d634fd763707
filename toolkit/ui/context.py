"""Who is looking at a page, in which language: read once from the request, on the server.

The page's URL carries ``lang`` (``?lang=en``) and, for trainers, ``key`` (the trainer secret). The kernel
reads the query string itself, so nothing the browser sends later can change the role: callbacks re-check
``ctx.role`` (or call :func:`require_trainer`) instead of trusting what a widget shows or hides.

Under Voila the query string comes from :func:`voila.utils.get_query_string`, which works with fresh and
with preheated kernels (a preheated kernel waits there until its request arrives). Outside Voila (tests,
a plain Jupyter kernel) ``$QUERY_STRING`` is used, else an empty query: default language, learner.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from urllib.parse import parse_qsl

from toolkit.errors import AccessDenied
from toolkit.i18n import default_lang, normalise_lang

__all__ = [
    "LEARNER",
    "ROLES",
    "SECRET_ENV",
    "TRAINER",
    "PageContext",
    "context_from_query",
    "is_trainer_key",
    "page_context",
    "request_query_string",
    "require_trainer",
]

log = logging.getLogger("xfkit.ui")

TRAINER = "trainer"
LEARNER = "learner"
ROLES = (TRAINER, LEARNER)
SECRET_ENV = "XFKIT_TRAINER_SECRET"

# Names from voila.utils.ENV_VARIABLE (voila 0.5): Voila sets these in every kernel it starts, fresh
# (VOILA_PREHEAT="False") or preheated (VOILA_PREHEAT="True"). Spelled out here so that deciding whether we
# run under Voila does not import Voila; tests/ui/test_context.py checks them against the installed Voila.
VOILA_ENV_MARKERS = ("VOILA_BASE_URL", "VOILA_PREHEAT", "VOILA_KERNEL_ID", "VOILA_SERVER_URL")
VOILA_BASE_URL_ENV = "VOILA_BASE_URL"
VOILA_PREHEAT_ENV = "VOILA_PREHEAT"  # "True" in a kernel kept warm for a request still to come
QUERY_STRING_ENV = "QUERY_STRING"
MAX_QUERY_FIELDS = 64


def _empty_query() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class PageContext:
    """The request a page was opened with.

    Attributes
    ----------
    lang
        ``"zh"`` or ``"en"``.
    role
        ``"trainer"`` (the URL carried the trainer secret) or ``"learner"``.
    query
        The query parameters (first value of each), kept so links can carry them on (``key``, ``lang``).
    base_url
        The server's base URL, ending in ``/`` (``/`` unless Voila runs behind a prefix, e.g. JupyterHub).
    """

    lang: str
    role: str
    query: Mapping[str, str] = field(default_factory=_empty_query)
    base_url: str = "/"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {self.role!r}")

    @property
    def is_trainer(self) -> bool:
        return self.role == TRAINER


def is_trainer_key(offered: str | None, secret: str | None) -> bool:
    """Whether ``offered`` is the trainer secret; constant-time, and never true for an empty secret."""
    if not secret or not offered:
        return False
    return hmac.compare_digest(offered.encode("utf-8"), secret.encode("utf-8"))


def _parse_query(query: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        log.warning("ignored a query string with more than %d fields", MAX_QUERY_FIELDS)
        return {}
    parsed: dict[str, str] = {}
    for name, value in pairs:
        parsed.setdefault(name, value)
    return parsed


def context_from_query(query: str, *, secret: str | None, default: str, base_url: str = "/") -> PageContext:
    """The page context for a raw query string such as ``"lang=en&key=..."`` (pure; no environment).

    Parameters
    ----------
    query
        The URL's query string, with or without the leading ``?``.
    secret
        The trainer secret; ``None`` or ``""`` means nobody is a trainer.
    default
        The language when the query has no (recognisable) ``lang``.
    base_url
        The server's base URL (a missing trailing ``/`` is added).
    """
    params = _parse_query(query)
    lang = normalise_lang(params.get("lang"), default=default)
    role = TRAINER if is_trainer_key(params.get("key"), secret) else LEARNER
    base = base_url if base_url.endswith("/") else base_url + "/"
    return PageContext(lang=lang, role=role, query=MappingProxyType(params), base_url=base)


def under_voila() -> bool:
    """Whether this kernel was started by Voila (it sets ``VOILA_*`` variables in the environment)."""
    return any(name in os.environ for name in VOILA_ENV_MARKERS)


#: where a preheated kernel asks the server for its request (names from voila.utils.ENV_VARIABLE)
VOILA_REQUEST_ENV = (
    "VOILA_WS_PROTOCOL",
    "VOILA_APP_IP",
    "VOILA_APP_PORT",
    "VOILA_SERVER_URL",
    "VOILA_WS_BASE_URL",
)


def voila_request_url() -> str:
    """The server's address for this preheated kernel's request, as :func:`voila.utils.wait_for_request`
    builds it."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


#: how long a preheated kernel keeps trying to reach the server for its request
CONNECT_FOR_S = 300.0


@cache
def _voila_query_string() -> str:
    """Wait for the request this preheated kernel was kept for; put its details in the environment.

    What :func:`voila.utils.get_query_string` does, without importing Voila (with nbconvert and Jupyter
    Server, about 40 MB and a second in every preheated kernel). Cached: a preheated kernel receives its
    request once; asking again would wait for another.
    """
    import json
    import time

    from websockets.sync.client import connect

    # many kernels warming at once (a contest pool) can take long to be answered: keep trying for a while
    deadline = time.monotonic() + CONNECT_FOR_S
    while True:
        try:
            ws = connect(voila_request_url(), open_timeout=30, max_size=1 << 20)
            break
        except (OSError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    with ws:
        info = ws.recv()
    for name, value in json.loads(info).items():
        os.environ[str(name)] = str(value)
    return os.environ.get(QUERY_STRING_ENV, "")


def request_query_string() -> str:
    """This page's query string: from Voila, else ``$QUERY_STRING``, else ``""``.

    Failing to reach Voila's request is logged and treated as an empty query: the page then opens in the
    default language with the learner role, which is the safe side.
    """
    if os.environ.get(VOILA_PREHEAT_ENV) != "True":
        # a kernel started for this request already has it in its environment; importing Voila to
        # ask would cost over a second of the page's load time
        return os.environ.get(QUERY_STRING_ENV, "")
    if under_voila():
        try:
            return _voila_query_string()
        except Exception:
            log.exception("could not read the request's query string from Voila")
            return ""
    return os.environ.get(QUERY_STRING_ENV, "")


def page_context() -> PageContext:
    """The context of the page being rendered, from the request and the server's settings."""
    return context_from_query(
        request_query_string(),
        secret=os.environ.get(SECRET_ENV),
        default=default_lang(),
        base_url=os.environ.get(VOILA_BASE_URL_ENV, "/") or "/",
    )


def require_trainer(ctx: PageContext) -> None:
    """Raise :class:`~toolkit.errors.AccessDenied` unless the page was opened by a trainer."""
    if not ctx.is_trainer:
        raise AccessDenied("this needs the trainer role")
