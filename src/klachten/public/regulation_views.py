"""``/regeling/`` and ``/regeling.pdf``: the complaints regulation, public, without login (R17).

Both render the one value :func:`klachten.public.regulation.regulation_get` builds from the
settings, so the page and the PDF always say the same. The PDF is cached under a digest of its
own HTML: a changed setting changes the HTML and so renders a new PDF at once.

``/regeling/versies/`` lists every version kept (#16 item 7) with the dates it was in force;
each stays readable as a page and a PDF, rendered from the text kept then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from klachten.core.clock import local_today
from klachten.core.pdf import html_to_pdf
from klachten.organisation.models import RegulationVersion
from klachten.organisation.selectors import regulation_version_latest, regulation_versions
from klachten.public.regulation import Regulation, regulation_get
from klachten.public.regulation_versions import regulation_of_version

PDF_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class VersionLine:
    """A version with the dates it was in force: ``until`` None for the one in force now."""

    number: int
    in_force_from: datetime
    until: datetime | None


def _lines(versions: list[RegulationVersion]) -> list[VersionLine]:
    return [
        VersionLine(
            number=version.number,
            in_force_from=version.in_force_from,
            until=versions[index + 1].in_force_from if index + 1 < len(versions) else None,
        )
        for index, version in enumerate(versions)
    ]


@require_GET
def regulation(request: HttpRequest) -> HttpResponse:
    """The regulation as a page (R17), with the number of the version in force."""
    return render(
        request,
        "public/regulation.html",
        {
            "regulation": regulation_get(today=local_today()),
            "version": regulation_version_latest(),
        },
    )


def _pdf_response(content: Regulation, version: VersionLine | None = None) -> HttpResponse:
    """The regulation as a PDF, cached under the digest of its own HTML."""
    html = render_to_string(
        "public/regulation_pdf.html", {"regulation": content, "version": version}
    )
    key = "regulation-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = html_to_pdf(html)
        cache.set(key, data, PDF_CACHE_SECONDS)
    filename = content.pdf_filename
    if version is not None:
        filename = filename.removesuffix(".pdf") + f"-versie-{version.number}.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def regulation_pdf(request: HttpRequest) -> HttpResponse:
    """The regulation as a PDF to download or print (R17), from the same content as the page."""
    return _pdf_response(regulation_get(today=local_today()))


@require_GET
def regulation_versions_page(request: HttpRequest) -> HttpResponse:
    """Every version of the regulation with the dates it was in force (R17, #16 item 7)."""
    lines = _lines(regulation_versions())
    return render(
        request,
        "public/regulation_versions.html",
        {"lines": list(reversed(lines)), "regulation": regulation_get(today=local_today())},
    )


def _version(number: int) -> tuple[RegulationVersion, VersionLine]:
    versions = regulation_versions()
    for version, line in zip(versions, _lines(versions), strict=True):
        if version.number == number:
            return version, line
    raise Http404(_("Deze versie van de regeling bestaat niet."))


@require_GET
def regulation_version(request: HttpRequest, number: int) -> HttpResponse:
    """One kept version as a page, as it read while it was in force."""
    version, line = _version(number)
    return render(
        request,
        "public/regulation_version.html",
        {"regulation": regulation_of_version(version), "version": line},
    )


@require_GET
def regulation_version_pdf(request: HttpRequest, number: int) -> HttpResponse:
    """One kept version as a PDF."""
    version, line = _version(number)
    return _pdf_response(regulation_of_version(version), line)
