"""The floor for bench/pages.py (#17, item 6): the least a Django page over the same data costs.

Settings and URLconf in one module: the product's settings (the same database, apps, time
zone and language) without any middleware, and one view — the 50 open complaints nearest
their deadline, one query through the ORM, rendered by one Django template. Every figure
bench/pages.py prints is also given as a ratio to this page's. Served by gunicorn as

    DJANGO_SETTINGS_MODULE=floor PYTHONPATH=bench:src \\
        gunicorn 'django.core.wsgi:get_wsgi_application()'
"""

from __future__ import annotations

from typing import Any

from klachten.config.settings import *  # noqa: F403 - the product's database, apps, locale


class _NoMiddleware(list[str]):
    """No middleware at all; allauth's start-up check, which asks whether its own is in the
    list, is told yes (the floor's one view never reaches allauth)."""

    def __contains__(self, item: object) -> bool:
        return item == "allauth.account.middleware.AccountMiddleware" or super().__contains__(item)


MIDDLEWARE = _NoMiddleware()
ROOT_URLCONF = "floor"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {"context_processors": []},
    }
]

PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Meldingen</title></head><body>
<table>
<thead><tr><th>Melding</th><th>Klant</th><th>Status</th><th>Behandelaar</th><th>Termijn</th></tr></thead>
<tbody>{% for reference, status, due, customer, first_name, last_name in rows %}
<tr><td><a href="/meldingen/{{ reference }}/">{{ reference }}</a></td><td>{{ customer }}</td>
<td>{{ status }}</td><td>{{ first_name }} {{ last_name }}</td><td>{{ due|date:"j M H:i" }}</td></tr>
{% endfor %}</tbody>
</table>
</body></html>
"""


def overview(request: object) -> object:
    """The 50 open complaints nearest their deadline (the ``complaint_attention`` index)."""
    from django.http import HttpResponse
    from django.template import engines

    from klachten.complaints.models import Complaint

    rows = (
        Complaint.objects.filter(attention_due__isnull=False)
        .order_by("attention_due", "id")
        .values_list(
            "reference",
            "status",
            "attention_due",
            "customer__name",
            "handler__first_name",
            "handler__last_name",
        )[:50]
    )
    if not _compiled:
        _compiled.append(engines["django"].from_string(PAGE))
    return HttpResponse(_compiled[0].render({"rows": list(rows)}))


_compiled: list[Any] = []  # the template, compiled once per process


def _urlpatterns() -> list[object]:
    from django.urls import path

    return [path("", overview)]


urlpatterns = _urlpatterns()
