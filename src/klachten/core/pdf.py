"""PDF documents from the same HTML templates as the pages (letters, the regulation, reports).

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is imported on first use,
so the rest of the application runs on a machine without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string


def _local_url(url: str) -> str:
    """The ``file://`` address of a local resource for ``url``; ValueError for anything else.

    ``/static/…`` (as the templates write it) resolves to the app's own static files; data:
    URLs stay as they are. Nothing outside the installation is ever fetched (R2).
    """
    if url.startswith("data:"):
        return url
    static = settings.STATIC_URL
    if url.startswith("file://") and static in url:
        found = finders.find(url.split(static, 1)[1].split("?")[0])
        if isinstance(found, str):
            return Path(found).as_uri()
    raise ValueError(f"PDF rendering fetches no external resources: {url!r}")


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            return super().fetch(_local_url(url), headers)

    return LocalOnlyFetcher(allowed_protocols={"file", "data"})


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document to PDF bytes; only local static files and data: URLs load."""
    from weasyprint import HTML

    document = HTML(string=html, base_url="file:///", url_fetcher=_fetcher())
    return bytes(document.write_pdf())


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render a Django template to PDF bytes (letters, the regulation R17, the annual report)."""
    return html_to_pdf(render_to_string(template, context, request=request))
