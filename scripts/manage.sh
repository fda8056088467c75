#!/usr/bin/env bash
# Run a Django management command with the same environment as make run,
# e.g. scripts/manage.sh createsuperuser
. "$(dirname "$0")/lib.sh"

load_dotenv
ensure_venv
ensure_database
ensure_app_env
# No cd: file arguments (import_layer facilities ./puskesmas.shp) are relative
# to where the command was typed.
exec "$VENV/bin/python" "$TAKSI_ROOT/manage.py" "$@"
