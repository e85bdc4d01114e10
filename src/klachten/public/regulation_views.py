"""``/regeling/`` and ``/regeling.pdf``: the complaints regulation, public, without login (R17).

Both render the one value :func:`klachten.public.regulation.regulation_get` builds from the
settings, so the page and the PDF always say the same. The PDF is cached under a digest of its
own HTML: a changed setting changes the HTML and so renders a new PDF at once.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from klachten.core.clock import local_today
from klachten.core.pdf import html_to_pdf
from klachten.public.regulation import regulation_get

PDF_CACHE_SECONDS = 24 * 60 * 60


@require_GET
def regulation(request: HttpRequest) -> HttpResponse:
    """The regulation as a page (R17)."""
    return render(
        request,
        "public/regulation.html",
        {"regulation": regulation_get(today=local_today())},
    )


@require_GET
def regulation_pdf(request: HttpRequest) -> HttpResponse:
    """The regulation as a PDF to download or print (R17), from the same content as the page."""
    content = regulation_get(today=local_today())
    html = render_to_string("public/regulation_pdf.html", {"regulation": content})
    key = "regulation-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = html_to_pdf(html)
        cache.set(key, data, PDF_CACHE_SECONDS)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{content.pdf_filename}"'
    return response
