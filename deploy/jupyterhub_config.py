"""JupyterHub configuration for a province-wide xfkit competition: one locked-down xfkit server per user.

Every user who logs in to the hub gets their own ``xfkit serve --hub`` (not JupyterLab, not
``jupyterhub-singleuser``): the app pages only, their hub login as contestant and reviewer identity, and
all servers writing to one PostgreSQL database. See deploy/README.md.

Settings come from the environment of the ``jupyterhub`` process:

XFKIT_DB                 required: the shared store, ``postgresql+psycopg://user:password@host/db``
XFKIT_TRAINER_SECRET     required: opens trainer pages (``?key=``) on every user's server
XFKIT_HUB_STATE          folder for the hub's own database and cookie secret (default /var/lib/xfkit-hub)
XFKIT_HUB_HOMES          folder with one working folder per user (default $XFKIT_HUB_STATE/users)
XFKIT_HUB_BIND_URL       where users connect (default http://:8000)
XFKIT_COMMAND            the xfkit executable (default: the one next to this Python, else on PATH)
XFKIT_LANG               default page language, zh or en (default zh)

A test or a site adds its own settings after this file: ``load_subconfig("deploy/jupyterhub_config.py")``
in its own config file, then override (tests/deploy/test_hub_smoke.py does so).
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (JupyterHub provides it)


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise SystemExit(f"deploy/jupyterhub_config.py: set {name} in the hub's environment")
    return value


state = Path(os.environ.get("XFKIT_HUB_STATE", "/var/lib/xfkit-hub"))
homes = Path(os.environ.get("XFKIT_HUB_HOMES", str(state / "users")))
state.mkdir(parents=True, exist_ok=True)
homes.mkdir(parents=True, exist_ok=True)

# -- the hub itself --------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("XFKIT_HUB_BIND_URL", "http://:8000")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"  # the hub's own bookkeeping only
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
# configurable-http-proxy (npm) must be on PATH; ./run.sh setup installs it into .venv/chp
c.ConfigurableHTTPProxy.should_start = True
# after logging in, a user goes straight to their own server (started on demand)
c.JupyterHub.redirect_to_server = True

# -- who may log in --------------------------------------------------------------------------------
# Placeholder: the real authenticator of the intranet. LDAP (pip install jupyterhub-ldapauthenticator):
#   c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
#   c.LDAPAuthenticator.server_address = "ldap.example.internal"
#   c.LDAPAuthenticator.bind_dn_template = ["uid={username},ou=people,dc=example,dc=internal"]
# or OAuth/OIDC (pip install oauthenticator): c.JupyterHub.authenticator_class = "generic-oauth".
# Left at JupyterHub's default on purpose (PAM with an empty allow list: nobody can log in) rather than
# letting anybody in. For a local trial only (never in production):
#   c.JupyterHub.authenticator_class = "dummy"
#   c.DummyAuthenticator.password = "a shared trial password"
#   c.Authenticator.allowed_users = {"alice", "bob", "carol"}
# Hub admins may use the hub's admin page; they still cannot open a user's xfkit server (owner only).
c.Authenticator.admin_users = set()

# -- one xfkit server per user ----------------------------------------------------------------------
# The simple spawner runs every user's server as the hub's operating-system user, in its own folder.
# Acceptable here because an xfkit server runs no user code: no terminal, no notebook editing, no
# contents API, and its kernel websocket accepts widget messages only. On Kubernetes see deploy/k8s/.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")

xfkit = os.environ.get("XFKIT_COMMAND") or str(Path(sys.executable).with_name("xfkit"))
if not Path(xfkit).exists():
    xfkit = shutil.which("xfkit") or "xfkit"
c.Spawner.cmd = [xfkit, "serve", "--hub"]
# --no-preheat: a preheated kernel for each of the five learner pages would cost every user ~700 MB
# while idle; without it a page starts its own kernel when opened (a second or two more on first load)
c.Spawner.args = ["--lang", os.environ.get("XFKIT_LANG", "zh"), "--data", "data", "--no-preheat"]
c.Spawner.environment = {
    "XFKIT_DB": _required("XFKIT_DB"),  # every user's server writes to the same PostgreSQL
    "XFKIT_TRAINER_SECRET": _required("XFKIT_TRAINER_SECRET"),
}
c.Spawner.default_url = "/voila/render/contest.ipynb"  # the contest page; the code comes in the link
# a server needs several seconds to start (store check, first-run demo data); leave room for many at once
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
# one Voila server (~100-150 MB) plus one kernel (~140 MB) per open page; see deploy/README.md#sizing
c.Spawner.mem_limit = "1G"  # enforced by container spawners (KubeSpawner), informational here

# -- idle servers ----------------------------------------------------------------------------------
# xfkit culls idle kernels itself (--cull-after). To stop whole idle servers, run jupyterhub-idle-culler
# (pip install jupyterhub-idle-culler) as a hub service; activity is what the proxy sees:
#   c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
#       "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]
#   c.JupyterHub.services = [{"name": "idle-culler",
#       "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"]}]
