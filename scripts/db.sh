#!/usr/bin/env bash
# The embedded PostGIS cluster.
#   scripts/db.sh start   start it (create it first if needed), print nothing else
#   scripts/db.sh stop    stop it (the data stays)
#   scripts/db.sh clean   stop it and delete it (all data in it is lost)
#   scripts/db.sh env     print export lines: eval "$(scripts/db.sh env)"
#   scripts/db.sh psql    open psql on the taksi database
. "$(dirname "$0")/lib.sh"

cmd="${1:-}"
shift || true
load_dotenv

case "$cmd" in
start)
    ensure_database
    ;;
stop)
    pg_stop
    ;;
clean)
    pg_paths lookup
    if [[ -z $PG_BASE ]]; then
        log "no embedded cluster to delete"
        [[ -e $DATA/pgrun || -L $DATA/pgrun ]] && rm -rf "$DATA/pgrun"
        exit 0
    fi
    warn "deleting the embedded cluster in $PGDATA_DIR: every row in it is lost."
    if [[ -t 0 && -z ${CI:-} ]]; then
        warn "deleting in 5 seconds; press Ctrl-C to keep it"
        sleep 5
    fi
    pg_stop
    rm -rf "$PGDATA_DIR" "$PG_RUNDIR"
    if [[ $PG_SOCKDIR != "$PG_RUNDIR" ]]; then
        rm -rf "$PG_SOCKDIR"
        rmdir "$(dirname "$PG_SOCKDIR")" 2>/dev/null || true
    fi
    rm -f "$DATA/pgdata" "$DATA/pgrun" 2>/dev/null || true
    if [[ $PG_BASE != "$DATA" ]]; then
        rmdir "$PG_BASE" 2>/dev/null || true
    fi
    log "embedded cluster deleted (the next make run creates a new one)"
    ;;
env)
    ensure_database >/dev/null
    ensure_app_env
    printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
    printf 'export DJANGO_SECRET_KEY=%q\n' "$DJANGO_SECRET_KEY"
    printf 'export TAKSI_BASE_URL=%q\n' "$TAKSI_BASE_URL"
    ;;
psql)
    ensure_database >/dev/null
    # psql does not know the postgis:// scheme.
    exec psql "postgresql://${DATABASE_URL#*://}" "$@"
    ;;
*)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
