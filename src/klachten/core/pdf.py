"""PDF documents from the same HTML templates as the pages (letters, the regulation, reports).

Every PDF is tagged for accessibility as PDF/UA-1 (WeasyPrint's ``pdf/ua-1`` variant): a
structure tree a screen reader follows, the document's language from ``<html lang>`` and its
title from ``<title>`` (shown as the window title). Text is set in one font family, the page
numbers and running titles in the page margins included.

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


#: The one font family of every PDF (Debian: fonts-dejavu-core, which WeasyPrint's Pango uses).
FONT_FAMILY = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'

#: What every document shares: the margin boxes (page numbers, running titles) do not inherit
#: the body's font, so the page itself is given the family too.
_BASE_CSS = f"@page {{ font-family: {FONT_FAMILY}; }}"

#: PDF/UA-1: tagged, with language and title (ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, *, relative_links: bool = False) -> bytes:
    """Render an HTML document to accessible PDF bytes (PDF/UA-1: tags, ``<html lang>`` as the
    language, ``<title>`` as the title); only local static files and data: URLs load.

    ``relative_links`` keeps ``<a href="register.xlsx">`` relative in the PDF, so it opens the
    file beside the PDF (the evidence pack's cover, #16 item 6); such a document has no base
    address and so loads nothing by a path (``/static/…``): its style is inline."""
    from weasyprint import CSS, HTML

    base_url = None if relative_links else "file:///"
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return bytes(document.write_pdf(stylesheets=[CSS(string=_BASE_CSS)], pdf_variant=PDF_VARIANT))


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render a Django template to PDF bytes (letters, the regulation R17, the annual report)."""
    return html_to_pdf(render_to_string(template, context, request=request))
