"""``xfkit serve --hub``: one user's locked-down xfkit server, spawned and authenticated by JupyterHub.

JupyterHub's spawner starts ``xfkit serve --hub`` for each user instead of ``jupyterhub-singleuser``, so a
user gets xfkit's own Voila server (:class:`toolkit.serve` rules: app notebooks only, no JupyterLab, no
terminal, no contents API, comm-only kernel websocket) and nothing else. This module adds the hub to it:

* **where**: the base URL is ``$JUPYTERHUB_SERVICE_PREFIX`` (``/user/<name>/``); the address and port come
  from ``$JUPYTERHUB_SERVICE_URL`` (else ``--host``/``--port``);
* **who**: JupyterHub's OAuth, through the same ``JupyterHubIdentityProvider`` and
  ``JupyterHubAuthorizer`` that ``jupyterhub-singleuser`` uses (Voila 0.5 asks jupyter_server's identity
  provider on every page, API request and the kernel websocket). On top of the hub's own check (the
  ``access:servers!server=<owner>/`` scope) the login must be the server's owner (``$JUPYTERHUB_USER``):
  a hub admin, who holds that scope for every server, gets 403 too, because the owner's name is the
  contestant's identity in the kernels. The OAuth callback (``oauth_callback``) and ``logout`` are
  registered under the base URL; Voila's preheat request-info websocket also needs the login;
* **identity in the kernels**: ``XFKIT_HUB=1`` is added to the kernels' environment, which makes
  :func:`toolkit.identity.hub_user` honour ``$JUPYTERHUB_USER`` (inherited from the spawner);
* **secrets**: the hub API token is handed to the OAuth client through configuration and removed from the
  process environment before any kernel starts, so kernels never hold it;
* **activity**: every ``$JUPYTERHUB_ACTIVITY_INTERVAL`` seconds (300 by default, with 20 % jitter) the
  server tells the hub (``$JUPYTERHUB_ACTIVITY_URL``) when its kernels last did anything, as
  ``jupyterhub-singleuser`` does, so the hub's idle culler stops a server nobody uses and keeps one in use.

Trainer pages still need the trainer secret (``?key=``), which the hub's configuration gives every server
in ``$XFKIT_TRAINER_SECRET``. Static assets (Voila's JavaScript and CSS, the page template's files) are
served without login, as ``jupyterhub-singleuser`` does; every page, kernel and API URL needs it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from toolkit.identity import HUB_FLAG_ENV, HUB_USER_ENV
from toolkit.serve import ServeError, ServeOptions

__all__ = [
    "HubSettings",
    "activity_body",
    "hub_argv",
    "hub_kernel_environment",
    "hub_options",
    "hub_settings",
    "hub_voila_class",
    "report_activity",
    "withdraw_secrets",
]

log = logging.getLogger("xfkit.hub")

#: what the spawner must set; without these the server cannot authenticate anybody
REQUIRED_ENV = (
    HUB_USER_ENV,
    "JUPYTERHUB_API_TOKEN",
    "JUPYTERHUB_API_URL",
    "JUPYTERHUB_CLIENT_ID",
    "JUPYTERHUB_SERVICE_PREFIX",
    "JUPYTERHUB_OAUTH_CALLBACK_URL",
)
#: secrets the kernels must not inherit (JPY_API_TOKEN is the deprecated name of the same token)
SECRET_ENV = ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN")


@dataclass(frozen=True, slots=True)
class HubSettings:
    """What the spawner told this server."""

    user: str
    prefix: str
    api_token: str
    host: str | None
    port: int | None
    default_url: str = ""
    activity_url: str = ""
    activity_interval: float = 300.0
    server_name: str = ""


def hub_settings(env: Mapping[str, str] | None = None) -> HubSettings:
    """Read the spawner's environment; a :class:`ServeError` names whatever is missing."""
    env = os.environ if env is None else env
    missing = [name for name in REQUIRED_ENV if not env.get(name)]
    if missing:
        raise ServeError(
            "--hub needs the environment JupyterHub's spawner sets; missing: " + ", ".join(missing)
        )
    prefix = env["JUPYTERHUB_SERVICE_PREFIX"]
    if not prefix.startswith("/"):
        raise ServeError(f"JUPYTERHUB_SERVICE_PREFIX must start with /, not {prefix!r}")
    host: str | None = None
    port: int | None = None
    service_url = env.get("JUPYTERHUB_SERVICE_URL", "")
    if service_url:
        parsed = urlparse(service_url)
        try:
            port = parsed.port
        except ValueError:
            raise ServeError(f"JUPYTERHUB_SERVICE_URL has no usable port: {service_url!r}") from None
        host = parsed.hostname or None
    raw_interval = env.get("JUPYTERHUB_ACTIVITY_INTERVAL", "") or "300"
    try:
        interval = float(raw_interval)
    except ValueError:
        raise ServeError(f"JUPYTERHUB_ACTIVITY_INTERVAL must be seconds, not {raw_interval!r}") from None
    return HubSettings(
        user=env[HUB_USER_ENV],
        prefix=prefix if prefix.endswith("/") else prefix + "/",
        api_token=env["JUPYTERHUB_API_TOKEN"],
        host=host,
        port=port,
        default_url=env.get("JUPYTERHUB_DEFAULT_URL", "").lstrip("/"),
        activity_url=env.get("JUPYTERHUB_ACTIVITY_URL", ""),
        activity_interval=interval,
        server_name=env.get("JUPYTERHUB_SERVER_NAME", ""),
    )


def hub_options(options: ServeOptions, settings: HubSettings) -> ServeOptions:
    """``options`` with the address and port the spawner chose (when it said)."""
    return replace(
        options,
        host=settings.host if settings.host else options.host,
        port=settings.port if settings.port else options.port,
    )


def hub_argv(settings: HubSettings) -> list[str]:
    """Voila arguments for the hub: every URL under the user's prefix."""
    return [f"--Voila.base_url={settings.prefix}"]


def hub_kernel_environment() -> dict[str, str]:
    """Added to what the kernels inherit: tells :func:`toolkit.identity.hub_user` to trust the login."""
    return {HUB_FLAG_ENV: "1"}


def withdraw_secrets(environ: Any = None) -> None:
    """Remove the hub API token from the process environment, so kernels started later never see it."""
    environ = os.environ if environ is None else environ
    for name in SECRET_ENV:
        environ.pop(name, None)


def configure(app: Any, settings: HubSettings) -> None:
    """Hub authentication and activity reports for an initialised Voila app, set before it starts."""
    import tornado.ioloop

    app.config.HubOAuth.api_token = settings.api_token
    # Voila passes token="" to the identity provider unless auto_token; the hub's provider has no token
    app.auto_token = True
    if settings.activity_url and settings.activity_interval > 0:
        # the kernel manager is made when the app starts, after this
        def kernels_last_active() -> object:
            return getattr(getattr(app, "kernel_manager", None), "last_kernel_activity", None)

        tornado.ioloop.IOLoop.current().add_callback(report_activity, kernels_last_active, settings)
    else:
        log.warning("no activity reports to the hub (no JUPYTERHUB_ACTIVITY_URL, or an interval of 0)")


def activity_body(last: datetime, server_name: str) -> dict[str, Any]:
    """What the hub's activity API takes: the server's and the user's last activity, in UTC."""
    stamp = last.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return {"servers": {server_name: {"last_activity": stamp}}, "last_activity": stamp}


async def report_activity(
    last_active: Callable[[], object],
    settings: HubSettings,
    *,
    pause: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> None:
    """Tell the hub, every interval, when a kernel last sent or received a message; never returns.

    Nothing is sent while nothing happened since the last report. A failed report is logged and tried
    again at the next interval. ``pause`` waits out an interval (tests step through intervals with it).
    """
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    client = AsyncHTTPClient()
    sent: datetime | None = None
    failing = False
    log.info("reporting activity to the hub every %.0f s", settings.activity_interval)
    while True:
        last = last_active()
        if isinstance(last, datetime) and (sent is None or last > sent):
            request = HTTPRequest(
                settings.activity_url,
                method="POST",
                headers={"Authorization": f"token {settings.api_token}", "Content-Type": "application/json"},
                body=json.dumps(activity_body(last, settings.server_name)),
                request_timeout=30,
            )
            try:
                await client.fetch(request)
            except Exception as exc:  # the hub restarting, a network hiccup: next interval
                if not failing:
                    log.warning("could not report activity to the hub: %s", exc)
                failing = True
            else:
                if failing:
                    log.info("reporting activity to the hub again")
                sent, failing = last, False
        await pause(settings.activity_interval * (1 + 0.2 * (random.random() - 0.5)))


def hub_voila_class(base: type[Any], settings: HubSettings) -> type[Any]:
    """``base`` (the :class:`toolkit.serve` Voila class) with JupyterHub authentication, owner only."""
    import tornado.web
    from jupyterhub.singleuser.extension import JupyterHubAuthorizer, JupyterHubIdentityProvider
    from jupyterhub.utils import url_path_join
    from voila.request_info_handler import RequestInfoSocketHandler

    owner, prefix = settings.user, settings.prefix
    landing = prefix + (settings.default_url or "voila/render/home.ipynb")

    class OwnerIdentityProvider(JupyterHubIdentityProvider):  # type: ignore[misc]
        """The hub's OAuth login, accepted only for the server's owner."""

        async def get_user(self, handler: Any) -> Any:
            user = await super().get_user(handler)
            if user is None or user.username == owner:
                return user
            log.warning("refused hub user %r on the server of %r", user.username, owner)
            handler._jupyterhub_user = None

            def refuse(*_args: Any, **_kwargs: Any) -> None:
                handler.xfkit_error_key = "server.hub.not_owner"  # the error page says why
                raise tornado.web.HTTPError(403, "only the owner of this server may use it")

            handler.redirect = refuse  # tornado's @authenticated redirects to log in: 403 instead
            return None

        def get_handlers(self) -> list[Any]:
            # Voila adds these as given; jupyter_server would prefix them with the base URL
            return [(url_path_join(prefix, path), *rest) for path, *rest in super().get_handlers()]

    class GuardedRequestInfo(RequestInfoSocketHandler):  # type: ignore[misc]
        """Voila's preheat websocket (the page's query string) also needs the owner's login."""

        async def prepare(self) -> None:
            user = await self.settings["identity_provider"].get_user(self)
            if user is None:
                raise tornado.web.HTTPError(403)

    class LandingRedirect(tornado.web.RequestHandler):
        """The server's root: to the hub's ``Spawner.default_url`` (the contest page), query kept."""

        def get(self) -> None:
            query = self.request.query
            self.redirect(landing + (("&" if "?" in landing else "?") + query if query else ""))

    class XfkitHubVoila(base):  # type: ignore[misc]
        def init_settings(self) -> dict[str, Any]:
            self.identity_provider_class = OwnerIdentityProvider
            self.authorizer_class = JupyterHubAuthorizer
            result: dict[str, Any] = super().init_settings()
            result["allow_unauthenticated_access"] = False  # jupyter_server's default, stated
            return result

        def init_handlers(self) -> list[Any]:
            handlers: list[Any] = []
            for spec in super().init_handlers():
                if spec[1] is RequestInfoSocketHandler:
                    handlers.append((spec[0], GuardedRequestInfo, *spec[2:]))
                elif getattr(spec[1], "__name__", "") == "HomeRedirect":  # the root: to the landing page
                    handlers.append((spec[0], LandingRedirect))
                else:
                    handlers.append(spec)
            return handlers

    return XfkitHubVoila
