#!/usr/bin/env bash
# make bench: Taksi against tipg and a floor server on a synthetic
# province-sized dataset in its own database (<db>_bench). Not part of make test.
# Extra arguments go to bench/run.py (e.g. make bench ARGS="--only items --rounds 1").
. "$(dirname "$0")/lib.sh"

load_dotenv
ensure_apt_packages "${APT_PACKAGES[@]}" wrk
ensure_venv

BENCH_VENV="$TAKSI_ROOT/.venv-bench"
if [[ ! -x $BENCH_VENV/bin/python ]] \
    || ! cmp -s "$TAKSI_ROOT/bench/requirements-tipg.txt" "$BENCH_VENV/.requirements"; then
    log "building .venv-bench (tipg, the peer server)"
    rm -rf "$BENCH_VENV"
    "$(need_python)" -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install -q --disable-pip-version-check -r "$TAKSI_ROOT/bench/requirements-tipg.txt"
    cp "$TAKSI_ROOT/bench/requirements-tipg.txt" "$BENCH_VENV/.requirements"
fi

stop_db_on_exit_if_started_here

ensure_database
ensure_app_env
cd "$TAKSI_ROOT"
BENCH_DATABASE_URL="$("$VENV/bin/python" -m bench.database "$DATABASE_URL")"
export BENCH_DATABASE_URL
log "benchmark database: ${BENCH_DATABASE_URL%%:*}://…/${BENCH_DATABASE_URL##*/}"
DATABASE_URL="$BENCH_DATABASE_URL" "$VENV/bin/python" manage.py migrate --noinput -v0
# The boundaries come from the Kupang fixtures; the facilities and projects are
# then replaced by the synthetic dataset (bench/dataset.py), so load only once.
if ! "$VENV/bin/python" -m bench.dataset "postgresql://${BENCH_DATABASE_URL#*://}"; then
    DATABASE_URL="$BENCH_DATABASE_URL" "$VENV/bin/python" manage.py load_kupang >/dev/null
fi
DATABASE_URL="$BENCH_DATABASE_URL" "$VENV/bin/python" manage.py collectstatic --noinput -v0
mkdir -p bench/results
# shellcheck disable=SC2086
"$VENV/bin/python" -m bench.run --markdown ${ARGS:-} "$@"
