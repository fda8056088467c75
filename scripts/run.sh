#!/usr/bin/env bash
# make run: install what is missing, start the embedded PostGIS cluster
# (unless DATABASE_URL is set), prepare Django and serve with gunicorn.
. "$(dirname "$0")/lib.sh"

load_dotenv
# Say so at once, not after the whole set-up: another server holds the port.
if [[ ${HOST:-127.0.0.1} == 127.0.0.1 || ${HOST:-127.0.0.1} == localhost ]] \
        && port_in_use "${PORT:-8000}"; then
    die "port ${PORT:-8000} on 127.0.0.1 is already in use (another make run?); serve elsewhere with PORT=8001 make run"
fi
ensure_apt_packages "${APT_PACKAGES[@]}"
ensure_venv
ensure_database
ensure_app_env
django_setup
print_urls

cd "$TAKSI_ROOT"
# Workers, threads, request-line limit, time-outs: spatial/gunicorn_conf.py.
exec "$VENV/bin/gunicorn" spatial.wsgi:application \
    --config python:spatial.gunicorn_conf \
    --bind "${HOST:-127.0.0.1}:${PORT:-8000}" --access-logfile - \
    --no-control-socket  # one per user by default: a second server would remove the first's
