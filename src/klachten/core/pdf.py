"""PDF documents from the same HTML templates as the pages (letters, the regulation, reports).

Every PDF is tagged for accessibility as PDF/UA-1 (WeasyPrint's ``pdf/ua-1`` variant): a
structure tree a screen reader follows, the document's language from ``<html lang>`` and its
title from ``<title>`` (shown as the window title). Text is set in one font family, the page
numbers and running titles in the page margins included.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is imported on first use,
so the rest of the application runs on a machine without it.

Each PDF is made in a child process forked for it (:func:`html_to_pdf`), which imports WeasyPrint,
renders, hands back the bytes and exits (#17 item 4). Importing WeasyPrint and its fonts costs
about 45 MiB and the first document 15 more, which a web worker would keep for the rest of its
life (a worker that had made one annual report held 197 MiB instead of 124): so a worker's memory
stays what its pages need. The price is the import in each child, about half a second.
"""

from __future__ import annotations

import os
import select
import signal
import time
import traceback
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


#: How long a child may take to render one document before it is stopped.
RENDER_TIMEOUT_SECONDS = 600


class PdfRenderingFailed(RuntimeError):
    """The child that rendered a PDF failed; the message holds its traceback."""


def html_to_pdf(html: str, *, relative_links: bool = False) -> bytes:
    """Render an HTML document to accessible PDF bytes (PDF/UA-1: tags, ``<html lang>`` as the
    language, ``<title>`` as the title); only local static files and data: URLs load.

    ``relative_links`` keeps ``<a href="register.xlsx">`` relative in the PDF, so it opens the
    file beside the PDF (the evidence pack's cover, #16 item 6); such a document has no base
    address and so loads nothing by a path (``/static/…``): its style is inline.

    Rendered in a forked child (the module's docstring says why); the child touches no database
    and no lock of the parent's other threads: it has the HTML already, and reads only the static
    files. Where ``os.fork`` is missing, in this process.
    """
    if not hasattr(os, "fork"):
        return _render(html, relative_links)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, hand back, exit without running the parent's clean-ups
        status = 0
        try:
            os.close(read_end)
            try:
                payload = b"P" + _render(html, relative_links)
            except BaseException:  # everything goes back to the parent
                payload, status = b"E" + traceback.format_exc().encode(), 1
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view) :]
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        received = _read_all(read_end, pid)
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    if received[:1] == b"P" and status == 0:
        return received[1:]
    detail = received[1:].decode(errors="replace") or f"exit status {status}"
    raise PdfRenderingFailed(f"PDF rendering failed: {detail}")


def _read_all(fd: int, pid: int) -> bytes:
    """Everything the child writes until it closes its end; stop it after the timeout."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS
    poll = select.poll()
    poll.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        left = deadline - time.monotonic()
        if not poll.poll(max(left, 0) * 1000):
            os.kill(pid, signal.SIGKILL)
            raise PdfRenderingFailed(f"PDF rendering took over {RENDER_TIMEOUT_SECONDS} s")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _render(html: str, relative_links: bool) -> bytes:
    from weasyprint import CSS, HTML

    base_url = None if relative_links else "file:///"
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return bytes(document.write_pdf(stylesheets=[CSS(string=_BASE_CSS)], pdf_variant=PDF_VARIANT))


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render a Django template to PDF bytes (letters, the regulation R17, the annual report)."""
    return html_to_pdf(render_to_string(template, context, request=request))
