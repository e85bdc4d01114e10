"""The WSGI application that gunicorn serves."""

import os
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")

application = get_wsgi_application()


def _ignore_start_response(status: str, headers: list[tuple[str, str]], *exc_info: object) -> Any:
    return lambda data: None


def warm() -> None:
    """Load now what the first request would otherwise load: the URLs with every view and
    the API, the translations, the templates and static manifest of the login page.

    ``klachten serve`` has gunicorn call this in its master process before it forks the
    workers (``config/gunicorn_conf.py``), so every worker starts warm and the first page a
    person opens is as quick as any other (issue #10). The page is rendered once without a
    network; the database connections it opened are closed again, as a forked process must
    not share them.
    """
    import io
    from wsgiref.util import setup_testing_defaults

    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Inloggen")
    hosts = [host for host in settings.ALLOWED_HOSTS if host and host[0] not in ".*"]
    if hosts:
        environ: dict[str, object] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "HTTP_HOST": hosts[0],
            "wsgi.input": io.BytesIO(),
        }
        setup_testing_defaults(environ)
        body = application(environ, _ignore_start_response)
        for _chunk in body:
            pass
        getattr(body, "close", lambda: None)()
    connections.close_all()
