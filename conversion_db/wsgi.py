"""WSGI entry point (gunicorn conversion_db.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conversion_db.settings")

application = get_wsgi_application()
