# Production image: gunicorn serving conversion_db on port 8000, static files by whitenoise.
# Needs an external PostgreSQL through DATABASE_URL (see docker-compose.yml); the embedded
# PostgreSQL used by `make run` is never started in a container.
FROM python:3.11-slim-bookworm

# PYTHONPATH: import the project from /app (where seeds/ and var/ sit beside it), never from
# the copy `pip install .` puts in site-packages, whatever the working directory.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_ENV=production \
    VAR_DIR=/app/var

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

RUN pip install --no-cache-dir "pip==25.3"

# Dependencies first, in their own layer: rebuilt only when the pins change. The direct
# dependencies are read from pyproject.toml (constraints.txt also pins the dev tools, so it
# cannot be installed as a requirements file).
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code, and the project itself (not editable, no dev extras).
COPY README.md manage.py ./
COPY conversion_db ./conversion_db
COPY accounts ./accounts
COPY notifications ./notifications
COPY patents ./patents
COPY enterprises ./enterprises
COPY indicators ./indicators
COPY seeds ./seeds
COPY docker/entrypoint.sh ./docker/entrypoint.sh
RUN pip install --no-cache-dir -c constraints.txt . \
    && rm -rf build ./*.egg-info \
    && chmod 0755 docker/entrypoint.sh \
    && mkdir -p "$VAR_DIR/jobs" \
    && chown -R app:app "$VAR_DIR"

# Code stays owned by root (read-only for the app); only VAR_DIR is writable.
USER app

# Hashed, compressed static files (CompressedManifestStaticFilesStorage) are built into the
# image. The values below exist only for this command (not kept in the image); collectstatic
# does not connect to the database.
RUN DJANGO_ENV=production \
    SECRET_KEY=build-only-collectstatic-key-not-a-secret-0123456789abcdef \
    ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput

EXPOSE 8000

# /healthz: 200 when the database answers, 503 otherwise. Sent with the first ALLOWED_HOSTS
# name as Host so that Django does not reject the probe (slim has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
