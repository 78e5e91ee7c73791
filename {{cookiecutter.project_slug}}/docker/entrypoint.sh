#!/bin/sh
# The image's commands:
#   serve              uvicorn on $HOST:$PORT with $WEB_CONCURRENCY worker processes (the default),
#                      closing idle keep-alive connections after $KEEP_ALIVE_TIMEOUT_SECONDS
#   migrate [REVISION] apply the migrations up to REVISION (default: head), then exit
#   worker [ARGS...]   the projection worker (python -m app.worker --help)
# Anything else runs as given, e.g. `docker run --rm IMAGE python -c "..."`.
# Each command replaces this shell (exec), so it receives the engine's stop signal directly.
set -eu

command="${1:-serve}"
if [ "$#" -gt 0 ]; then
    shift
fi

case "$command" in
    serve)
        if [ "${WEB_CONCURRENCY:-1}" -gt 1 ]; then
            # Several worker processes: metrics go through files so every scrape sees them all.
            export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-/tmp/prometheus-multiproc}"
            rm -rf "$PROMETHEUS_MULTIPROC_DIR"
            mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
        fi
        # uvicorn's own keep-alive default (5 s) is shorter than the idle timeout of client pools
        # and load balancers (commonly 60 s): a client reusing a connection just as uvicorn
        # closes it gets a reset instead of a response. 75 s leaves the closing to them.
        exec uvicorn --factory app.main:create_app \
            --host "${HOST:-0.0.0.0}" \
            --port "${PORT:-8000}" \
            --workers "${WEB_CONCURRENCY:-1}" \
            --timeout-keep-alive "${KEEP_ALIVE_TIMEOUT_SECONDS:-75}" \
            "$@"
        ;;
    migrate)
        if [ "$#" -gt 1 ]; then
            echo "usage: migrate [REVISION]" >&2
            exit 2
        fi
        exec alembic upgrade "${1:-head}"
        ;;
    worker)
        exec python -m app.worker "$@"
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
