#!/usr/bin/env bash
# xfkit set-up and entry points. Two commands cover a fresh machine:
#   ./run.sh serve   set up, make the demo data (default pack, SQLite store later) and serve the apps
#   ./run.sh test    set up (Python packages, and Debian's chromium, fonts-noto-cjk, postgresql when
#                    missing) and run every check: ruff, mypy, the whole test suite with browser tests
set -euo pipefail
cd "$(dirname "$0")"

VENV=${XFKIT_VENV:-.venv}
PY=${PYTHON:-python3}

say() { printf '[xfkit] %s\n' "$*" >&2; }

setup() {
    if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        say "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1 || echo none))"
        exit 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating the virtual environment in $VENV"
        "$PY" -m venv "$VENV"
    fi
    # reinstall only when the dependency list changed
    local stamp="$VENV/.xfkit-installed" want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "installing xfkit and its dependencies"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"
        echo "$want" > "$stamp"
    fi
}

# configurable-http-proxy (npm) for JupyterHub: tests/deploy and deploy/jupyterhub_config.py
hub_proxy() {
    [ -x "$VENV/chp/node_modules/.bin/configurable-http-proxy" ] && return 0
    command -v configurable-http-proxy >/dev/null && return 0
    say "installing configurable-http-proxy into $VENV/chp"
    npm install --silent --no-audit --no-fund --prefix "$VENV/chp" configurable-http-proxy@4 >/dev/null
}

# Debian packages the tests drive: a real browser, CJK fonts for it, a PostgreSQL server, and node/npm
# for JupyterHub's configurable-http-proxy
SYSTEM_PACKAGES="chromium fonts-noto-cjk postgresql nodejs npm"

system_packages() {
    local missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    fc-list 2>/dev/null | grep -q "NotoSansCJK" || missing+=(fonts-noto-cjk)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    { command -v node >/dev/null && command -v npm >/dev/null; } || missing+=(nodejs npm)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        say "missing Debian packages: ${missing[*]} (install them: sudo apt-get install $SYSTEM_PACKAGES)"
        exit 1
    fi
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

cmd_test() {
    system_packages
    setup
    hub_proxy
    say "ruff"
    "$VENV/bin/ruff" check toolkit tests benchmarks
    "$VENV/bin/ruff" format --check toolkit tests benchmarks
    say "mypy (strict on toolkit/)"
    "$VENV/bin/mypy"
    say "pytest"
    "$VENV/bin/python" -m pytest "$@"
}

cmd_serve() {
    setup
    exec "$VENV/bin/xfkit" serve "$@"
}

cmd_bench() {
    setup
    "$VENV/bin/python" benchmarks/run_all.py "$@"
}

case "${1:-}" in
    test) shift; cmd_test "$@" ;;
    serve) shift; cmd_serve "$@" ;;
    bench) shift; cmd_bench "$@" ;;
    setup) setup ;;
    *) echo "usage: ./run.sh serve | test [pytest args] | bench [--quick] [--only A,B] [--skip A,B] [--report] | setup" >&2; exit 2 ;;
esac
