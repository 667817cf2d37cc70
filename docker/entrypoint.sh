#!/usr/bin/env bash
# Container entry point.
#   web [gunicorn options...]  (the default) migrate, create the cache table, load the
#                              reference data, make sure the operator exists, then serve
#                              with gunicorn on 0.0.0.0:8000 (WEB_CONCURRENCY workers, 3 by default).
#                              Its control socket lives in VAR_DIR (the home directory is not
#                              writable): gunicornc -s /app/var/gunicorn.ctl
#   anything else              run as given, e.g. `docker compose run web python manage.py shell`.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    set -- web
fi

if [ "$1" = "web" ]; then
    shift
    if [ -z "${DATABASE_URL:-}" ]; then
        echo "entrypoint: DATABASE_URL is required (postgres://user:password@host:5432/name);" \
            "the embedded PostgreSQL is not used in containers." >&2
        exit 1
    fi
    python manage.py migrate --noinput
    python manage.py createcachetable
    python manage.py seed
    python manage.py ensure_operator
    exec gunicorn conversion_db.wsgi:application \
        --bind 0.0.0.0:8000 \
        --workers "${WEB_CONCURRENCY:-3}" \
        --access-logfile - \
        --control-socket "${VAR_DIR:-/app/var}/gunicorn.ctl" \
        "$@"
fi

exec "$@"
