"""Security headers and transport settings (#15, item 6), read from the environment.

Imported at the end of ``settings.py``: what is set here adds to or overrides what is there.

- Files: the data dir is for the installation's owner alone (``klachten.core.datadir``).
- Headers on every page and API answer: a Content Security Policy without inline script
  (django-csp), ``Permissions-Policy`` and ``Cache-Control: no-store``
  (``klachten.core.headers``), and Django's own ``X-Content-Type-Options``,
  ``Referrer-Policy`` (in settings.py) and ``Cross-Origin-Opener-Policy``.
- HTTPS: ``KLACHTEN_HTTPS=true`` turns on the redirect to HTTPS, HSTS and secure cookies;
  ``KLACHTEN_BEHIND_PROXY=true`` trusts the proxy's ``X-Forwarded-Proto``. Then
  ``klachten check --deploy`` reports no issues.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF

from klachten.config import settings as _settings_module
from klachten.config.env import env_bool
from klachten.core.datadir import (
    PRIVATE_DIRECTORY_MODE,
    PRIVATE_FILE_MODE,
    datadir_make_private,
)

# What settings.py has set so far: it imports this module at its end.
_base: dict[str, Any] = vars(_settings_module)

# --- Files ----------------------------------------------------------------------------------

# Every process reads the settings before it writes: from here on it creates files 0600 and
# folders 0700, and the data dir (made a moment ago by settings.py) is closed to others.
datadir_make_private(Path(_base["DATA_DIR"]))
# Django's file storage sets these explicitly, whatever the umask (attachments).
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE_MODE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIRECTORY_MODE

# --- Headers --------------------------------------------------------------------------------

# After WhiteNoise, which answers static files itself: those keep their long caching and need
# no policy. Both add to whatever response the view returns, error pages included.
_HEADER_MIDDLEWARE = [
    "csp.middleware.CSPMiddleware",
    "klachten.core.headers.PrivateHeadersMiddleware",
]
_after = (
    "whitenoise.middleware.WhiteNoiseMiddleware"
    if "whitenoise.middleware.WhiteNoiseMiddleware" in _base["MIDDLEWARE"]
    else "django.middleware.security.SecurityMiddleware"
)
_at = _base["MIDDLEWARE"].index(_after) + 1
MIDDLEWARE = [*_base["MIDDLEWARE"][:_at], *_HEADER_MIDDLEWARE, *_base["MIDDLEWARE"][_at:]]

# No inline script at all: what the pages do in the browser is in static/klachten/app.js. Should
# one ever be needed, it is allowed here by its SHA-256 (tests/core/test_headers.py hashes every
# inline script of the templates and fails, showing the hash); better to add to app.js.
INLINE_SCRIPT_HASHES: dict[str, str] = {}
# htmx 2 adds one <style> of its own for request indicators (unless the page's htmx-config
# says "includeIndicatorStyles": false); this is its hash, checked against the vendored file.
HTMX_INDICATOR_STYLE_HASH = "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *INLINE_SCRIPT_HASHES.values()],
        "style-src": [SELF, HTMX_INDICATOR_STYLE_HASH],
        # Pico's icons (checkboxes, menus) are data: SVGs in its stylesheet.
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}

# Browser features no page uses, switched off for every script on them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}
# X-Content-Type-Options, Referrer-Policy and X-Frame-Options: settings.py. Django's default,
# said here: no window this site opens keeps a handle on it, nor the other way round.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- HTTPS ----------------------------------------------------------------------------------


def _hsts_seconds(default: int) -> int:
    raw = os.environ.get("KLACHTEN_HSTS_SECONDS", "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        # Settings load before any translation catalogue: the one line is Dutch itself.
        raise ValueError(f"KLACHTEN_HSTS_SECONDS moet een aantal seconden zijn, niet {raw!r}")
    return int(raw)


_https = env_bool("KLACHTEN_HTTPS", default=False)
SECURE_SSL_REDIRECT = _https
# Monitoring on the machine itself asks over plain HTTP; the health answer holds no personal
# data (ops/views.py, health).
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$"]
SECURE_HSTS_SECONDS = _hsts_seconds(365 * 24 * 60 * 60) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https and env_bool("KLACHTEN_HSTS_PRELOAD", default=False)
# SESSION_COOKIE_SECURE=true on its own still works, as the README has long said.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=_https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A proxy on this machine is trusted already (gunicorn's forwarded_allow_ips); one on another
# machine must say so, and must set X-Forwarded-Proto itself, never pass the client's on.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("KLACHTEN_BEHIND_PROXY", default=False)
    else None
)

# Preloading binds the whole domain to HTTPS for good, in every browser: a choice of the
# organisation (KLACHTEN_HSTS_PRELOAD=true), so `check --deploy` does not ask for it.
SILENCED_SYSTEM_CHECKS = [
    *_base.get("SILENCED_SYSTEM_CHECKS", []),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
