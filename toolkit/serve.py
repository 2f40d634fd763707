"""``xfkit serve``: Voila on the app notebooks only, safe for a training room.

What the server allows, and why:

* only the notebooks in :mod:`toolkit.apps` that exist in this release, at ``/voila/render/<notebook>``;
  ``/`` opens the home page. No directory tree, no ``/voila/files``, no contents API: a learner cannot
  fetch a notebook's source or the data folder;
* trainer-only pages need the trainer secret in the URL (``?key=...``; trainers' links carry it); the
  kernel checks the role again on every action (:mod:`toolkit.ui.context`);
* sources are stripped and tracebacks are never sent to the page: errors go to this server's log;
* the kernel websocket accepts widget (comm) messages only, so a forged ``execute_request`` runs nothing;
* idle kernels are culled, including those of pages fetched without ever opening their websocket;
  the home page is served from a preheated kernel;
* at most ``--max-kernels`` kernels run at once: past that a page is refused with a readable "server busy"
  page (HTTP 503, ``Retry-After``) instead of starting one more 70–110 MB kernel (:class:`KernelCap`);
* every asset comes from this machine (the ``xfkit`` Voila template drops the remote font stylesheets).
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import html
import logging
import os
import secrets
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from toolkit.apps import AppInfo, app_by_notebook, served_apps
from toolkit.demo import DEMO_SEED
from toolkit.errors import XfkitError

log = logging.getLogger("xfkit.serve")

PACKAGE_DIR = Path(__file__).resolve().parent
SHARE_DIR = PACKAGE_DIR / "share"


class ServeError(XfkitError):
    """The server cannot start: the message says why in one line."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """Everything ``xfkit serve`` needs; defaults suit one machine."""

    host: str = "127.0.0.1"
    port: int = 8866
    data_dir: Path = field(default_factory=lambda: Path.cwd() / "data")
    db_url: str | None = None
    pack: str = "default"
    lang: str = "zh"
    trainer_secret: str | None = None
    cull_after: int = 600
    cull_interval: int = 60
    contest_pool: int = 1  # warm kernels kept for the contest page: how many can join at once without waiting
    max_kernels: int = 120  # 70–110 MB each: about 11 GB at the cap; see KernelCap
    preheat: bool = True
    notebooks_dir: Path | None = None
    demo_seed: int = DEMO_SEED
    also_serve: tuple[str, ...] = ()  # extra notebooks for benchmarks (a hello-world page), learner access
    hub: bool = False  # spawned by JupyterHub: its login, its prefix and port (toolkit/hub.py)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A checked set-up: the server can start with these."""

    options: ServeOptions
    notebooks_dir: Path
    db_url: str
    trainer_secret: str
    pack_ref: str
    demo_created: bool


def find_notebooks_dir(explicit: Path | None = None) -> Path:
    """The folder holding the app notebooks: ``--notebooks``, ./notebooks, or the source tree's."""
    candidates = [explicit] if explicit else [Path.cwd() / "notebooks", PACKAGE_DIR.parent / "notebooks"]
    for folder in candidates:
        if folder is not None and (folder / "home.ipynb").is_file():
            return folder.resolve()
    where = ", ".join(str(c) for c in candidates if c is not None)
    raise ServeError(f"no app notebooks found (looked for home.ipynb in: {where})")


def check_port_free(host: str, port: int) -> None:
    """Fail early, in one line, when the port cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"port {port} on {host} is already in use; choose another with --port"
                ) from None
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def check_data_dir(folder: Path) -> None:
    """The data folder must exist (or be creatable) and be writable."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServeError(f"cannot create the data folder {folder}: {exc.strerror or exc}") from None
    probe = folder / ".xfkit-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ServeError(f"the data folder {folder} is not writable: {exc.strerror or exc}") from None


def prepare(options: ServeOptions) -> Prepared:
    """Check everything a person can get wrong, create the store and the demo data; start nothing."""
    from toolkit.packs.cache import cached_pack
    from toolkit.store import Store, default_url

    warm = [app for app in served_apps() if not app.trainer_only and app.preheat]
    pooled = len(warm) - 1 + options.contest_pool
    if options.preheat and pooled > options.max_kernels:
        raise ServeError(
            f"--contest-pool {options.contest_pool} keeps {pooled} warm kernels with the other pages, "
            f"more than --max-kernels {options.max_kernels}: raise --max-kernels"
        )
    notebooks = find_notebooks_dir(options.notebooks_dir)
    pack = cached_pack(options.pack)  # validated here, once: the pages' kernels read the cached result
    check_data_dir(options.data_dir)
    db_url = options.db_url or default_url(options.data_dir)
    store = Store.open(db_url)
    try:
        demo_created = ensure_demo_data(options, store)
    finally:
        store.close()
    warm_ledger_cache(options.data_dir / "demo" / "ledger.xlsx", options.pack, pack)
    check_port_free(options.host, options.port)
    secret = options.trainer_secret or secrets.token_urlsafe(12)
    return Prepared(options, notebooks, db_url, secret, pack.ref, demo_created)


def ensure_demo_data(options: ServeOptions, store: Any) -> bool:
    """On a first run (no demo files yet) write the demo data set, so a newcomer sees something real."""
    from toolkit.demo import demo_present, write_demo_data

    folder = options.data_dir / "demo"
    if demo_present(folder):
        return False
    demo = write_demo_data(folder, options.pack, options.demo_seed)
    store.log_event(
        "demo_data", "xfkit serve", {"folder": str(folder), "seed": demo.seed, "pack": demo.pack_ref}
    )
    return True


def warm_ledger_cache(path: Path, pack_ref: str | Path, pack: Any = None) -> None:
    """Import the demo ledger into the cache in a child process (pandas stays out of the server).

    Nothing is started when the cache already holds it (``pack``, from :func:`cached_pack`, names the
    entry). A ledger with problems is not an error here: the ledger page shows them to whoever opens it,
    and so does a child that could not run.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from toolkit.ledger.cache import is_cached

    if not path.is_file() or (pack is not None and is_cached(path, pack)):
        return
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            problem = pool.submit(_warm_ledger_cache, str(path), str(pack_ref)).result()
    except Exception as exc:  # a child that died: the page imports the file itself
        problem = f"{type(exc).__name__}: {exc}"
    if problem:
        log.warning("the demo ledger %s was not imported ahead: %s", path, problem)


def _warm_ledger_cache(path: str, pack: str) -> str:
    from toolkit.ledger.cache import warm_cache  # in the child: pandas is imported there only

    return warm_cache(path, pack)


def voila_argv(prepared: Prepared) -> list[str]:
    """Where and what Voila serves; the safety settings are enforced in code (:func:`enforce_settings`)."""
    o = prepared.options
    return [
        str(prepared.notebooks_dir),
        "--no-browser",
        f"--Voila.ip={o.host}",
        f"--Voila.port={o.port}",
        "--template=xfkit",  # the lab template without remote stylesheets (template paths are set up here)
    ]


def enforce_settings(app: Any, options: ServeOptions) -> None:
    """Safety and offline settings, applied after Voila has read any config file, so none can undo them."""
    vc = app.voila_configuration
    if vc.template != "xfkit":
        raise ServeError(f"the page template must be xfkit, a config file set {vc.template!r}")
    vc.strip_sources = True
    vc.show_tracebacks = False
    vc.file_allowlist = []
    vc.file_denylist = [".*"]
    vc.preheat_kernel = options.preheat
    pools: dict[str, dict[str, int]] = {"default": {"pool_size": 0}}
    if options.preheat:
        # one warm kernel for every page a learner opens; trainer pages start theirs on demand
        learner_pages = [app.notebook for app in served_apps() if not app.trainer_only and app.preheat]
        for name in (*learner_pages, *options.also_serve):
            pools[name] = {"pool_size": 1}
        if "contest.ipynb" in pools:
            pools["contest.ipynb"] = {"pool_size": options.contest_pool}
    app.config.VoilaKernelManager.kernel_pools_config = pools
    if os.name == "posix":
        # kernels talk to the server over Unix sockets in the runtime folder: a TCP port is picked free and
        # bound only later by the kernel, and with a contest pool starting together some lost that race
        app.config.KernelManager.transport = "ipc"
    kernels = app.config.MappingKernelManager
    kernels.cull_idle_timeout = options.cull_after
    kernels.cull_interval = options.cull_interval
    kernels.cull_connected = False  # a learner reading a page keeps the kernel
    kernels.cull_busy = False


def kernel_environment(prepared: Prepared) -> dict[str, str]:
    """Settings the kernels inherit: the store, the pack, the language and the trainer secret."""
    o = prepared.options
    return {
        "XFKIT_DB": prepared.db_url,
        "XFKIT_PACK": o.pack,
        "XFKIT_LANG": o.lang,
        "XFKIT_TRAINER_SECRET": prepared.trainer_secret,
        "XFKIT_DATA": str(o.data_dir),
        "JUPYTER_PATH": os.pathsep.join(p for p in (str(SHARE_DIR), os.environ.get("JUPYTER_PATH", "")) if p),
    }


def banner(prepared: Prepared) -> str:
    from toolkit.store import mask_url

    o = prepared.options
    base = f"http://{'localhost' if o.host in ('127.0.0.1', '::1') else o.host}:{o.port}"
    lines = [
        f"xfkit: serving {prepared.pack_ref} from {prepared.notebooks_dir}",
        f"  home page      {base}/",
        f"  store          {mask_url(prepared.db_url)}",
    ]
    # under a hub this goes to the pod's or spawner's log, which more people read than the hub's settings
    key = "$XFKIT_TRAINER_SECRET" if o.hub else prepared.trainer_secret
    lines.append("  trainer secret " + ("set by the hub's configuration, not shown" if o.hub else key))
    for app in served_apps():
        if app.trainer_only:
            lines.append(f"  trainer page   {base}/voila/render/{app.notebook}?key={key}")
    if prepared.demo_created:
        lines.append(f"  demo data      written to {o.data_dir / 'demo'}")
    if o.host not in ("127.0.0.1", "localhost", "::1"):
        lines.append(f"  listening on {o.host}: anyone on this network can open the learner pages")
    return "\n".join(lines)


#: what a refused page tells the browser: try again once idle kernels had a chance to be culled
RETRY_AFTER_S = 30


class KernelCap:
    """Admits page requests while fewer than ``limit`` kernels run (preheated ones included).

    Every page starts a kernel (or takes a preheated one, and its pool starts the next). ``running`` counts
    the kernel manager's kernels, those in start-up included; a request admitted here holds a slot until
    its own kernel is counted there (its first output, see ``AppPageHandler``), so concurrent requests
    cannot all pass the check before any of their kernels exists. Only a pool's refill, started a second
    after its kernel was taken, is not counted: the total stays below ``limit`` + one kernel per pool.
    Refusals are logged once per burst, not once per request.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.admitted_pending = 0  # admitted requests whose kernel is not counted yet
        self.refused = 0  # refusals in the current burst

    def admit(self, running: int) -> bool:
        if running + self.admitted_pending >= self.limit:
            if self.refused == 0:
                log.warning(
                    "refusing pages: %d kernels running or starting, the limit is %d (--max-kernels)",
                    running + self.admitted_pending,
                    self.limit,
                )
            self.refused += 1
            return False
        if self.refused:
            log.warning("accepting pages again after refusing %d", self.refused)
            self.refused = 0
        self.admitted_pending += 1
        return True

    def kernel_counted(self) -> None:
        """An admitted request's kernel now shows in the kernel manager (or the request ended)."""
        self.admitted_pending = max(0, self.admitted_pending - 1)


#: seconds between tries of a pool refill that waits for the kernel cap
REFILL_RETRY_S = 5.0


def cap_pool_refills(kernel_manager: Any, limit: int) -> None:
    """Make a page pool's refill wait while ``limit`` kernels run.

    Each page taken from a pool starts the next one; with a large contest pool, every contestant joining
    would start a spare kernel. While the cap is reached a refill waits (logged once) and is tried again
    every few seconds, so the pool fills up again once idle kernels are culled; meanwhile a page starts
    its kernel when opened, as without a pool.
    """
    fill = getattr(kernel_manager, "fill_if_needed", None)
    if fill is None or getattr(fill, "xfkit_capped", False):
        return
    waiting: set[str] = set()  # pools whose refill waits for the cap

    def attempt(args: tuple[Any, ...], kwargs: dict[str, Any], retry: bool) -> None:
        pool = str(kwargs.get("notebook_name"))
        running = _running_kernels(kernel_manager)
        if running < limit:
            waiting.discard(pool)
            fill(*args, **kwargs)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # nothing to come back on
            log.warning("not refilling a kernel pool: %d kernels running, the limit is %d", running, limit)
            return
        if not retry:
            if pool in waiting:
                return  # a try is already planned
            waiting.add(pool)
            log.warning("the %s pool waits: %d kernels running, the limit is %d", pool, running, limit)
        loop.call_later(REFILL_RETRY_S, attempt, args, kwargs, True)

    def capped(*args: Any, **kwargs: Any) -> None:
        attempt(args, kwargs, False)

    capped.xfkit_capped = True  # type: ignore[attr-defined]
    kernel_manager.fill_if_needed = capped


def trainer_ok(secret: str, offered: str | None) -> bool:
    """Constant-time check of an offered trainer secret."""
    return bool(secret) and offered is not None and hmac.compare_digest(secret.encode(), offered.encode())


def run(options: ServeOptions) -> int:
    """Prepare, print the banner, and serve until interrupted."""
    hub: Any = None
    if options.hub:
        from toolkit import hub

        settings = hub.hub_settings()
        options = hub.hub_options(options, settings)
    prepared = prepare(options)
    os.environ.update(kernel_environment(prepared))
    app_class = _voila_class()
    if hub is not None:
        os.environ.update(hub.hub_kernel_environment())
        hub.withdraw_secrets()
        app_class = hub.hub_voila_class(app_class, settings)
    app = app_class(
        trainer_secret=prepared.trainer_secret,
        also_serve=list(options.also_serve),
        max_kernels=options.max_kernels,
    )
    app.initialize(voila_argv(prepared) + (hub.hub_argv(settings) if hub is not None else []))
    enforce_settings(app, options)
    if hub is not None:
        hub.configure(app, settings)
    print(banner(prepared), file=sys.stderr, flush=True)
    app.start()
    return 0


# -- the Voila application ------------------------------------------------------------------------


def _log_cell_errors(executor: Any) -> None:
    """Make Voila log each cell error (with its traceback) before it replaces it with a neutral message.

    Voila strips errors from what it sends to the page but does not log them; the trainer needs them.
    """
    strip = executor.strip_code_cell_errors
    if getattr(strip, "xfkit_logs", False):
        return

    from toolkit.i18n import default_lang, t

    def logged(self: Any, cell: Any) -> Any:
        errors = [
            o
            for o in (cell.get("outputs", ()) if cell.get("cell_type") == "code" else ())
            if o.get("output_type") == "error"
        ]
        for output in errors:
            if output.get("ename") != "ExecutionError":
                trace = "\n".join(output.get("traceback", ()))
                log.error("a page cell raised %s: %s\n%s", output.get("ename"), output.get("evalue"), trace)
        result = strip(self, cell)
        for output in errors:  # what the page shows instead: a plain sentence, no server flags
            output["traceback"] = [t("server.cell_failed", default_lang())]
        return result

    logged.xfkit_logs = True  # type: ignore[attr-defined]
    executor.strip_code_cell_errors = logged


def _pool_has_kernel(kernel_manager: Any, notebook: str) -> bool:
    """Whether ``notebook``'s page will be served from a preheated kernel (started or starting).

    A pooled kernel that failed to start (when many start at once, two can race for one port) is taken
    out first: Voila would otherwise hand the failure to the next person who opens the page.
    """
    pool = getattr(kernel_manager, "_pools", {}).get(notebook)
    if pool:
        failed = [task for task in pool if task.done() and (task.cancelled() or task.exception() is not None)]
        for task in failed:
            pool.remove(task)
            reason = "cancelled" if task.cancelled() else repr(task.exception())
            log.warning("dropped a preheated kernel of %s that failed to start: %s", notebook, reason)
    pool_size = getattr(kernel_manager, "get_pool_size", None)
    return pool_size is not None and pool_size(notebook) > 0


def _running_kernels(kernel_manager: Any) -> int:
    """Kernels running or starting (a kernel is listed only once it is ready; until then it is pending)."""
    ids = set(kernel_manager.list_kernel_ids())
    ids.update(getattr(kernel_manager, "_pending_kernels", {}))
    return len(ids)


def _voila_class() -> Any:
    """The Voila subclass, built on demand so importing this module does not import Voila."""
    import tornado.web
    from traitlets import Int, List, Unicode
    from voila.app import Voila
    from voila.execute import VoilaExecutor
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.static_file_handler import AllowListFileHandler, TemplateStaticFileHandler
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    from toolkit.i18n import normalise_lang, t

    _log_cell_errors(VoilaExecutor)

    class ErrorPageMixin(tornado.web.RequestHandler):
        """Readable error pages in the page's language; never a traceback."""

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            lang = normalise_lang(self.get_argument("lang", os.environ.get("XFKIT_LANG")))
            key = {403: "server.forbidden", 404: "server.not_found", 503: "server.busy"}.get(
                status_code, "server.error"
            )
            if status_code == 503:
                self.set_header("Retry-After", str(RETRY_AFTER_S))
            key = getattr(self, "xfkit_error_key", None) or key  # set by toolkit/hub.py: not the owner
            title = html.escape(t(f"{key}.title", lang))
            body = html.escape(t(f"{key}.body", lang))
            home = html.escape(t("server.back_home", lang))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(
                f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh-CN"}">'
                '<head><meta charset="utf-8">'
                f"<title>{title}</title><style>body{{font-family:'Noto Sans CJK SC','Noto Sans SC',"
                "'Microsoft YaHei',sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.6}"
                f"</style></head><body><h1>{title}</h1><p>{body}</p>"
                f'<p><a href="{html.escape(self.settings.get("base_url", "/"))}?lang={lang}">{home}</a></p>'
                "</body></html>"
            )

    class AppPageHandler(ErrorPageMixin, TornadoVoilaHandler):  # type: ignore[misc]
        """Renders registered, available notebooks; trainer pages need the secret."""

        async def get(self, path: str | None = None) -> None:
            name = path or ""
            app = app_by_notebook(name)
            if name in self.settings["xfkit_also_serve"]:
                app = AppInfo(name, name, "", "", "")
            if app is None or not app.available:
                raise tornado.web.HTTPError(404)
            if app.trainer_only and not self._trainer():
                log.warning("refused trainer page %s to %s", path, self.request.remote_ip)
                raise tornado.web.HTTPError(403)
            cap: KernelCap = self.settings["xfkit_kernel_cap"]
            # a page taken from its pool starts no kernel (its refill waits for the cap: cap_pool_refills)
            if not _pool_has_kernel(self.kernel_manager, name):
                if not cap.admit(_running_kernels(self.kernel_manager)):
                    raise tornado.web.HTTPError(503)
                self._xfkit_slot = True
            try:
                rendered = super().get(path)
                if rendered is not None:
                    await rendered
            finally:
                self._kernel_counted()

        def flush(self, *args: Any, **kwargs: Any) -> Any:
            # Voila writes the first output once the page's kernel runs (started, or taken from a pool)
            self._kernel_counted()
            return super().flush(*args, **kwargs)

        def on_connection_close(self) -> None:
            self._kernel_counted()
            super().on_connection_close()

        def _kernel_counted(self) -> None:
            if getattr(self, "_xfkit_slot", False):
                self._xfkit_slot = False
                self.settings["xfkit_kernel_cap"].kernel_counted()

        def _trainer(self) -> bool:
            # the same check the kernel repeats on every action: the key travels in the page URL
            return trainer_ok(self.settings["xfkit_trainer_secret"], self.get_argument("key", None))

    class HomeRedirect(ErrorPageMixin, tornado.web.RequestHandler):
        def get(self) -> None:
            query = self.request.query
            home = self.settings.get("base_url", "/") + "voila/render/home.ipynb"
            self.redirect(home + (f"?{query}" if query else ""))

    class TemplateStatic(TemplateStaticFileHandler):  # type: ignore[misc]
        """Template assets only (``<template>/static/<file>``); anything else is a plain 404."""

        def parse_url_path(self, path: str) -> str:
            parts = path.split("/", 2)
            if len(parts) != 3 or parts[1] != "static" or not parts[0].isidentifier():
                raise tornado.web.HTTPError(404)
            result: str = super().parse_url_path(path)
            return result

    class KernelShutdown(VoilaShutdownKernelHandler):  # type: ignore[misc]
        """Shuts a page's kernel down when the tab closes.

        Voila's page sends this request without an XSRF token, so the stock handler refuses it and
        kernels of closed pages live on until culled. A same-origin request is accepted instead.
        """

        def check_xsrf_cookie(self) -> None:
            origin = self.request.headers.get("Origin") or self.request.headers.get("Referer") or ""
            if urlparse(origin).netloc != self.request.host:
                log.warning("refused a kernel shutdown from %r", origin or "no origin")
                raise tornado.web.HTTPError(403)

    class NotFound(ErrorPageMixin, tornado.web.RequestHandler):
        def prepare(self) -> None:
            raise tornado.web.HTTPError(404)

    blocked = (TornadoVoilaTreeHandler, VoilaContentsHandler, AllowListFileHandler)

    class XfkitVoila(Voila):  # type: ignore[misc]
        trainer_secret = Unicode("", help="secret that opens trainer-only pages").tag(config=True)
        also_serve = List(Unicode(), help="extra notebooks served to anyone (benchmarks)").tag(config=True)
        max_kernels = Int(120, help="most kernels at once; past it pages get HTTP 503").tag(config=True)

        def init_settings(self) -> dict[str, Any]:
            settings: dict[str, Any] = super().init_settings()
            settings["xfkit_trainer_secret"] = self.trainer_secret
            settings["xfkit_also_serve"] = frozenset(self.also_serve)
            settings["xfkit_kernel_cap"] = KernelCap(self.max_kernels)
            cap_pool_refills(self.kernel_manager, self.max_kernels)
            return settings

        def init_handlers(self) -> list[Any]:
            handlers: list[Any] = []
            for spec in super().init_handlers():
                pattern, handler = spec[0], spec[1]
                if handler in blocked:
                    handlers.append((pattern, NotFound))
                elif handler is TornadoVoilaHandler:
                    handlers.append((pattern, AppPageHandler, *spec[2:]))
                elif handler is VoilaShutdownKernelHandler:
                    handlers.append((pattern, KernelShutdown, *spec[2:]))
                elif handler is TemplateStaticFileHandler:
                    handlers.append((pattern, TemplateStatic, *spec[2:]))
                else:
                    handlers.append(spec)
            handlers.insert(0, (self.server_url, HomeRedirect))
            return handlers

    return XfkitVoila
