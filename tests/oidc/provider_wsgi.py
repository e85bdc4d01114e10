"""The WSGI application gunicorn serves for the test OpenID Connect provider (``server.py``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc.provider_settings")

application = get_wsgi_application()
