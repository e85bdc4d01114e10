"""gunicorn's hooks for ``klachten serve`` (the rest of its settings are on its command line).

With ``--preload`` the master process loads the application once; before it forks the
workers it warms it (``config.wsgi.warm``), so no worker pays for its first request.
"""

from typing import Any


def on_starting(server: Any) -> None:
    from klachten.config.wsgi import warm

    warm()
