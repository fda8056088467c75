#!/usr/bin/env bash
# make run: install what is missing, start the embedded PostGIS cluster
# (unless DATABASE_URL is set), prepare Django and serve with gunicorn.
. "$(dirname "$0")/lib.sh"

load_dotenv
ensure_apt_packages "${APT_PACKAGES[@]}"
ensure_venv
ensure_database
ensure_app_env
django_setup
print_urls

cd "$TAKSI_ROOT"
exec "$VENV/bin/gunicorn" spatial.wsgi:application \
    --bind "${HOST:-127.0.0.1}:${PORT:-8000}" \
    --workers 2 --threads 4 --access-logfile -
