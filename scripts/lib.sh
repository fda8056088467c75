# shellcheck shell=bash
# Shared helpers for Taksi's set-up scripts. Source it, do not run it:
#   . "$(dirname "$0")/lib.sh"
# Everything here is unattended: no question is ever asked.

set -euo pipefail

TAKSI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENV="$TAKSI_ROOT/.venv"
DATA="$TAKSI_ROOT/.data"
PG_VERSION=15
PGBIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_DB=taksi
PG_ROLE=taksi

# Debian packages needed by every target that runs the app or its tests.
APT_PACKAGES=(postgresql-15 postgresql-15-postgis-3 gdal-bin)

log() { printf '\033[1;34m[taksi]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[taksi] warning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[taksi] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Random hex string (no characters that would need escaping in a URL).
random_hex() {
    od -An -N"${1:-24}" -tx1 /dev/urandom | tr -d ' \n'
}

# --------------------------------------------------------------------------
# .env: variables from a local, untracked .env file are exported unless the
# environment already sets them (the environment always wins).
# --------------------------------------------------------------------------
load_dotenv() {
    local file="$TAKSI_ROOT/.env" line key value
    [[ -f $file ]] || return 0
    while IFS= read -r line || [[ -n $line ]]; do
        line="${line#"${line%%[![:space:]]*}"}"
        [[ -z $line || $line == \#* ]] && continue
        line="${line#export }"
        [[ $line == *=* ]] || continue
        key="${line%%=*}"
        value="${line#*=}"
        [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
        [[ -n ${!key+x} ]] && continue
        if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
            value="${BASH_REMATCH[1]}"
        fi
        export "$key=$value"
    done <"$file"
}

# --------------------------------------------------------------------------
# System packages (Debian/Ubuntu)
# --------------------------------------------------------------------------
pkg_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# ensure_apt_packages PKG... : install the packages that are missing.
# root: apt-get; a user with sudo: sudo apt-get; otherwise print the command.
ensure_apt_packages() {
    local missing=() p
    command -v dpkg-query >/dev/null 2>&1 \
        || die "this set-up needs a Debian/Ubuntu system (dpkg not found). Install PostgreSQL 15 + PostGIS 3 + GDAL yourself and set DATABASE_URL, or use docker compose."
    for p in "$@"; do
        pkg_installed "$p" || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0

    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        elif command -v sudo >/dev/null 2>&1 && [[ -t 0 && -z ${CI:-} ]]; then
            log "sudo will ask for your password to install: ${missing[*]}"
            sudo=(sudo)
        else
            die "missing system packages: ${missing[*]}. Install them as root:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}
and then run make again."
        fi
    fi
    log "installing system packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    for p in "${missing[@]}"; do
        pkg_installed "$p" || die "package $p is still not installed"
    done
}

# --------------------------------------------------------------------------
# Python >= 3.12
# --------------------------------------------------------------------------
# python_ok EXE : EXE runs and is Python >= 3.12 (a pyenv shim without a
# selected version fails here, as it should).
python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

# find_python [exact-minor] : print the real path of a usable interpreter.
# Order: $PYTHON, python3.13/python3.12 on PATH, pyenv-installed 3.13/3.12.
find_python() {
    local want="${1:-}" c root d
    local names=(python3.13 python3.12)
    [[ -n $want ]] && names=("python$want")
    if [[ -n ${PYTHON:-} ]]; then
        python_ok "$PYTHON" || die "PYTHON=$PYTHON does not run or is older than 3.12"
        if [[ -n $want ]] && ! "$PYTHON" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)"; then
            die "PYTHON=$PYTHON is not Python $want"
        fi
        "$PYTHON" -c 'import sys; print(sys.executable)'
        return 0
    fi
    for c in "${names[@]}"; do
        if command -v "$c" >/dev/null 2>&1 && python_ok "$c"; then
            "$c" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    local roots=()
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root 2>/dev/null || true)"
        [[ -n $root ]] && roots+=("$root")
    fi
    [[ -n ${PYENV_ROOT:-} ]] && roots+=("$PYENV_ROOT")
    roots+=("${HOME:-/root}/.pyenv")
    for c in "${names[@]}"; do
        for root in "${roots[@]}"; do
            # Newest patch release first.
            while IFS= read -r d; do
                [[ -n $d && -x $d/bin/$c ]] || continue
                if python_ok "$d/bin/$c"; then
                    "$d/bin/$c" -c 'import sys; print(sys.executable)'
                    return 0
                fi
            done < <(ls -d "$root/versions/${c#python}"* 2>/dev/null | sort -rV)
        done
    done
    return 1
}

need_python() {
    local py
    if ! py="$(find_python "$@")"; then
        die "no Python ${1:->= 3.12} found (PYTHON=/path/to/python3.12 chooses one). Ways to get one:
    Ubuntu 24.04:  sudo apt-get install python3.12 python3.12-venv
    Debian 13:     sudo apt-get install python3 python3-venv        (Python 3.13)
    any system:    uv python install 3.12   then   PYTHON=\"\$(uv python find 3.12)\" make run
    pyenv:         pyenv install 3.12"
    fi
    printf '%s\n' "$py"
}

# --------------------------------------------------------------------------
# Virtualenv .venv with pinned dependencies (pyproject.toml + constraints.txt)
# --------------------------------------------------------------------------
venv_stamp_value() {
    {
        cat "$TAKSI_ROOT/pyproject.toml" "$TAKSI_ROOT/constraints.txt"
        "$VENV/bin/python" -c 'import sys; print(sys.version)' 2>/dev/null || echo none
    } | sha256sum | cut -d' ' -f1
}

# Building the (package-less) project leaves empty build/ folders behind.
remove_build_leftovers() {
    if [[ -d $TAKSI_ROOT/build ]]; then
        find "$TAKSI_ROOT/build" -depth -type d -empty -delete 2>/dev/null || true
    fi
}

ensure_venv() {
    local stamp="$VENV/.taksi-stamp" py
    [[ -f $TAKSI_ROOT/constraints.txt ]] || die "constraints.txt is missing (run: make lock)"
    if [[ -x $VENV/bin/python ]] && python_ok "$VENV/bin/python"; then
        if [[ -f $stamp && "$(cat "$stamp")" == "$(venv_stamp_value)" ]]; then
            return 0
        fi
    elif [[ -e $VENV ]]; then
        warn "$VENV is broken or too old; recreating it"
        rm -rf "$VENV"
    fi
    if [[ ! -x $VENV/bin/python ]]; then
        py="$(need_python)"
        log "creating .venv with $py ($("$py" -c 'import platform; print(platform.python_version())'))"
        "$py" -m venv "$VENV" \
            || die "'$py -m venv' failed; on Debian/Ubuntu install the matching pythonX.Y-venv package"
    fi
    log "installing pinned dependencies into .venv (pyproject.toml + constraints.txt)"
    rm -f "$stamp"
    (
        cd "$TAKSI_ROOT"
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q \
            -c constraints.txt '.[dev]'
    ) || die "pip install failed"
    remove_build_leftovers
    venv_stamp_value >"$stamp"
}

# --------------------------------------------------------------------------
# Embedded PostGIS cluster
# --------------------------------------------------------------------------
# Layout: a base directory B holds pgdata/ (the cluster) and pgrun/ (socket
# and server log). B is .data/ itself when the postgres account can reach it;
# otherwise (a checkout under /root, a private home...) B is
# /var/lib/taksi/<hash of the checkout path>/ and .data/pgdata, .data/pgrun
# are symlinks to it.

# Port of the cluster: set by pg_start (TAKSI_PG_PORT, else 54329, else the
# port the cluster already runs on, else the next free one up to 54349).
PG_PORT=""
pg_port() { printf '%s\n' "${PG_PORT:-${TAKSI_PG_PORT:-54329}}"; }

# Run a command as the account that owns the cluster: the postgres system
# user when we are root (initdb refuses root), ourselves otherwise.
as_pg() {
    if ((EUID == 0)); then
        # cd /: the checkout may not be readable by postgres.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

pg_os_user() {
    if ((EUID == 0)); then echo postgres; else id -un; fi
}

external_base() {
    local h
    h="$(printf '%s' "$TAKSI_ROOT" | sha256sum | cut -c1-12)"
    printf '/var/lib/taksi/%s\n' "$h"
}

# Sets PG_BASE, PGDATA_DIR, PG_RUNDIR (server log), PG_SOCKDIR. With
# "lookup" it creates nothing and leaves PG_BASE empty when there is no
# cluster (used by stop/clean).
pg_paths() {
    local mode="${1:-create}"
    if [[ -L $DATA/pgdata ]]; then
        PG_BASE="$(dirname "$(readlink "$DATA/pgdata")")"
    elif [[ -d $DATA/pgdata ]]; then
        PG_BASE="$DATA"
    elif [[ $mode == lookup ]]; then
        PG_BASE=""
    else
        mkdir -p "$DATA"
        if ((EUID == 0)) && ! runuser -u postgres -- test -x "$DATA"; then
            PG_BASE="$(external_base)"
        else
            PG_BASE="$DATA"
        fi
    fi
    PGDATA_DIR="$PG_BASE/pgdata"
    PG_RUNDIR="$PG_BASE/pgrun"
    PG_LOG="$PG_RUNDIR/postgres.log"
    PG_SOCKDIR="$PG_RUNDIR"
    # A Unix socket path is limited to 107 bytes: a deep checkout gets its
    # socket under /var/lib/taksi (root) or /tmp (other users).
    if ((${#PG_SOCKDIR} > 80)); then
        if ((EUID == 0)); then
            PG_SOCKDIR="$(external_base)/sock"
        else
            PG_SOCKDIR="/tmp/taksi-$(id -u)-$(printf '%s' "$TAKSI_ROOT" | sha256sum | cut -c1-12)"
        fi
    fi
}

# Creates the directories (owned by the cluster account) and the symlinks.
pg_make_dirs() {
    local d
    mkdir -p "$PGDATA_DIR" "$PG_RUNDIR" "$PG_SOCKDIR"
    if ((EUID == 0)); then
        # postgres must traverse the folders above its own under /var/lib/taksi.
        for d in "$PG_BASE" "$(dirname "$PG_SOCKDIR")"; do
            if [[ $d == /var/lib/taksi/* ]]; then
                chmod 755 /var/lib/taksi "$d"
            fi
        done
        chown postgres: "$PGDATA_DIR" "$PG_RUNDIR" "$PG_SOCKDIR"
        if [[ $PG_BASE != "$DATA" ]]; then
            ln -sfn "$PGDATA_DIR" "$DATA/pgdata"
            ln -sfn "$PG_RUNDIR" "$DATA/pgrun"
        fi
    fi
    for d in "$PGDATA_DIR" "$PG_RUNDIR" "$PG_SOCKDIR"; do
        chmod 700 "$d"
    done
}

pg_ctl_() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" "$@"; }

pg_password() {
    local f="$DATA/pg-password"
    if [[ ! -s $f ]]; then
        mkdir -p "$DATA"
        (umask 077 && random_hex 24 >"$f")
    fi
    chmod 600 "$f"
    cat "$f"
}

# PID of a live postmaster for our data dir, or nothing.
pg_live_pid() {
    local pidfile="$PGDATA_DIR/postmaster.pid" pid
    [[ -f $pidfile ]] || return 0
    pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    # After a reboot the PID may belong to an unrelated process: check that
    # it is a postgres whose working directory is our data dir.
    if [[ -r /proc/$pid/comm ]] && grep -qx 'postgres\|postmaster' "/proc/$pid/comm" \
        && [[ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" == "$(readlink -f "$PGDATA_DIR")" ]]; then
        echo "$pid"
    fi
}

pg_running_port() {
    sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_init_cluster() {
    [[ -f $PGDATA_DIR/PG_VERSION ]] && return 0
    log "creating the embedded PostGIS cluster in $PGDATA_DIR"
    as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U "$(pg_os_user)" \
        --auth-local=peer --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions >/dev/null \
        || die "initdb failed"
}

pg_start() {
    local port pid running
    port="${TAKSI_PG_PORT:-54329}"
    pid="$(pg_live_pid)"
    if [[ -n $pid ]]; then
        running="$(pg_running_port)"
        if [[ $running == "$port" || -z ${TAKSI_PG_PORT:-} ]]; then
            PG_PORT="$running"
            return 0
        fi
        port_in_use "$port" \
            && die "port $port on 127.0.0.1 is already in use; pick another one with TAKSI_PG_PORT"
        log "the cluster runs on port $running; restarting it on $port"
        pg_ctl_ -m fast -w stop >/dev/null
    elif [[ -f $PGDATA_DIR/postmaster.pid ]]; then
        log "removing a stale postmaster.pid (left by a crash or a reboot)"
        rm -f "$PGDATA_DIR/postmaster.pid" "$PG_SOCKDIR"/.s.PGSQL.*
    fi
    if port_in_use "$port"; then
        [[ -n ${TAKSI_PG_PORT:-} ]] \
            && die "port $port on 127.0.0.1 is already in use; pick another one with TAKSI_PG_PORT"
        local p
        for p in $(seq 54330 54349); do
            port_in_use "$p" || break
        done
        port_in_use "$p" && die "ports 54329-54349 are all in use; set TAKSI_PG_PORT"
        log "note: port $port is in use (another Taksi checkout's cluster?); using $p"
        port="$p"
    fi
    PG_PORT="$port"
    log "starting PostgreSQL $PG_VERSION on 127.0.0.1:$port"
    if ! pg_ctl_ -l "$PG_LOG" -w -t 120 \
        -o "-p $port -k '$PG_SOCKDIR' -c listen_addresses=127.0.0.1 -c unix_socket_permissions=0700" \
        start >/dev/null; then
        tail -n 20 "$PG_LOG" >&2 || true
        die "PostgreSQL did not start (log: $PG_LOG)"
    fi
}

pg_stop() {
    pg_paths lookup
    if [[ -z $PG_BASE || ! -d $PGDATA_DIR ]]; then
        log "no embedded cluster"
        return 0
    fi
    if [[ -n "$(pg_live_pid)" ]]; then
        log "stopping the embedded cluster"
        pg_ctl_ -m fast -w stop >/dev/null
    else
        log "the embedded cluster is not running"
    fi
}

pg_admin_psql() {
    as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKDIR" -p "$(pg_port)" -U "$(pg_os_user)" "$@"
}

# Role taksi (SUPERUSER, so that pytest-django can create test_taksi and the
# postgis extension in it), database taksi, extension postgis.
pg_provision() {
    local pw
    pw="$(pg_password)"
    pg_admin_psql -d postgres <<SQL >/dev/null || die "could not create role/database $PG_ROLE"
SELECT format('CREATE ROLE %I', '$PG_ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') \gexec
ALTER ROLE $PG_ROLE WITH SUPERUSER LOGIN PASSWORD '$pw';
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DB', '$PG_ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB') \gexec
SQL
    pg_admin_psql -d "$PG_DB" -c 'SET client_min_messages = warning' \
        -c 'CREATE EXTENSION IF NOT EXISTS postgis' >/dev/null \
        || die "could not create the postgis extension"
}

# stop_db_on_exit_if_started_here : for one-shot targets (test, bench): stop the
# embedded cluster when the script exits, unless it was already running before.
stop_db_on_exit_if_started_here() {
    TAKSI_STARTED_DB=""
    if [[ -z ${DATABASE_URL:-} ]]; then
        pg_paths lookup
        if [[ -z $PG_BASE || -z "$(pg_live_pid)" ]]; then
            TAKSI_STARTED_DB=1
        fi
    fi
    trap '[[ -n $TAKSI_STARTED_DB ]] && pg_stop || true' EXIT
}

# ensure_database : export DATABASE_URL. When the environment (or .env)
# already sets it, it is used as is and nothing is started.
ensure_database() {
    if [[ -n ${DATABASE_URL:-} ]]; then
        log "using DATABASE_URL from the environment; no embedded cluster"
        export DATABASE_URL
        return 0
    fi
    [[ -x $PGBIN/pg_ctl ]] || die "$PGBIN/pg_ctl not found (is postgresql-$PG_VERSION installed?)"
    pg_paths create
    if [[ $PG_BASE != "$DATA" ]]; then
        log "note: user postgres cannot reach $DATA, so the cluster lives in $PG_BASE (.data/pgdata links to it)"
    fi
    pg_make_dirs
    pg_init_cluster
    pg_start
    pg_provision
    EMBEDDED_DB=1
    local pw
    pw="$(pg_password)"
    export DATABASE_URL="postgis://$PG_ROLE:$pw@127.0.0.1:$(pg_port)/$PG_DB"
    log "database ready: postgis://$PG_ROLE:***@127.0.0.1:$(pg_port)/$PG_DB"
}

# --------------------------------------------------------------------------
# Django settings environment
# --------------------------------------------------------------------------
ensure_app_env() {
    local host port
    host="${HOST:-127.0.0.1}"
    port="${PORT:-8000}"
    if [[ -z ${DJANGO_SECRET_KEY:-} ]]; then
        local f="$DATA/secret-key"
        mkdir -p "$DATA"
        [[ -s $f ]] || (umask 077 && random_hex 32 >"$f")
        chmod 600 "$f"
        DJANGO_SECRET_KEY="$(cat "$f")"
    fi
    export DJANGO_SECRET_KEY
    if [[ -z ${TAKSI_BASE_URL:-} ]]; then
        case "$host" in
        0.0.0.0 | '::' | '[::]') TAKSI_BASE_URL="http://127.0.0.1:$port" ;;
        *:*) TAKSI_BASE_URL="http://[$host]:$port" ;;
        *) TAKSI_BASE_URL="http://$host:$port" ;;
        esac
    fi
    export TAKSI_BASE_URL
}

# --------------------------------------------------------------------------
# Django steps (the app's own management commands), in this order.
# --------------------------------------------------------------------------
django_setup() {
    local py="$VENV/bin/python"
    cd "$TAKSI_ROOT"
    [[ -f manage.py ]] || die "manage.py not found in $TAKSI_ROOT"
    log "manage.py migrate"
    "$py" manage.py migrate --noinput
    log "manage.py load_kupang (Kupang fixtures, idempotent)"
    "$py" manage.py load_kupang
    log "manage.py build_rasters (distance to health facilities, GeoTIFF in TAKSI_RASTER_DIR)"
    "$py" manage.py build_rasters
    log "manage.py collectstatic"
    "$py" manage.py collectstatic --noinput >/dev/null
}

print_urls() {
    local host="${HOST:-127.0.0.1}" port="${PORT:-8000}" url
    case "$host" in
    0.0.0.0 | '::' | '[::]') url="${TAKSI_BASE_URL%/}" ;;
    *:*) url="http://[$host]:$port" ;;
    *) url="http://$host:$port" ;;
    esac
    cat >&2 <<EOF

  Taksi is starting on $url  (Ctrl-C stops the server; the data is kept)

    Map:                $url/
    OGC API landing:    $url/ogc/
    Admin:              $url/admin/
      create an admin user first, in another terminal:  make createsuperuser
      (that is .venv/bin/python manage.py createsuperuser with this run's DATABASE_URL;
       'eval "\$(scripts/db.sh env)"' exports it into your shell)

  Public base URL in OGC API links: ${TAKSI_BASE_URL}
EOF
    if [[ -n ${EMBEDDED_DB:-} ]]; then
        printf '  The embedded database keeps running after Ctrl-C; stop it with: make stop-db\n' >&2
    fi
    printf '\n' >&2
}
