"""WSGI entry point (gunicorn pontio.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pontio.settings")
application = get_wsgi_application()
