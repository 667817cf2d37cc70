"""gunicorn's settings for ``manage.py serve`` and the container (environment first).

``WEB_CONCURRENCY`` sync workers (3 by default, about 2 per core), each recycled after a
few thousand requests so that memory stays flat; 30 s per request, after which the worker
is replaced (heavy exports and imports run as background jobs, not in a request).
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 3)
timeout = int(os.environ.get("WEB_TIMEOUT") or 30)
graceful_timeout = 20
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# The control socket lives with the project's other run-time files (the home folder of a
# service user may not be writable).
control_socket = os.path.join(os.environ.get("VAR_DIR") or "var", "gunicorn.ctl")
