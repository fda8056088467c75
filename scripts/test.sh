#!/usr/bin/env bash
# make test: the same set-up as make run (plus Debian's chromium for the
# browser tests), then pytest. pytest-django creates its own test database
# (test_taksi). "No tests collected" (pytest exit 5) is a failure.
. "$(dirname "$0")/lib.sh"

load_dotenv
ensure_apt_packages "${APT_PACKAGES[@]}" chromium
ensure_venv

stop_db_on_exit_if_started_here

ensure_database
ensure_app_env
django_setup

cd "$TAKSI_ROOT"
log "running pytest"
set +e
"$VENV/bin/python" -m pytest "$@"
rc=$?
set -e
if ((rc == 5)); then
    printf '[taksi] error: pytest collected no tests (exit 5); that counts as a failure\n' >&2
    exit 1
fi
exit "$rc"
