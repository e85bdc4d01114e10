"""Headers on every page and API answer, and HTTPS from the environment (#15, item 6).

Every URL pattern of the project is asked for, by a logged-in admin (who may see every
complaint) and by an anonymous visitor, with real arguments where the test can make them (a
complaint, its customer file, an attachment, a letter, the status link, a calendar feed) and
harmless ones elsewhere: a 404 carries the headers as much as a page does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from klachten.complaints.attachments import attachment_add
from klachten.complaints.selectors import status_token_for
from klachten.complaints.views import STEP_PAGES
from klachten.domain.figures import MEASURE_KEYS
from klachten.messaging.models import MessageKind
from klachten.messaging.services import customer_message_send_standard
from klachten.messaging.views import KIND_OF_SLUG
from klachten.reports.services import feed_create
from tests.complaints.conftest import (
    NOW,
    complaint,  # noqa: F401 - a fixture used here
)

SOURCE = Path(__file__).resolve().parents[2] / "src" / "klachten"
HTMX = SOURCE / "static" / "vendor" / "htmx" / "htmx.min.js"

# Templates rendered to PDF by WeasyPrint, never sent to a browser: their <style> is theirs.
PDF_TEMPLATES = frozenset(
    {
        "public/regulation_pdf.html",
        "messaging/letter.html",
        "complaints/customer_export.html",
        "reports/annual_report.html",
        "auditing/dossier_pdf.html",  # the evidence pack (#16 item 6)
        "ops/evidence/regulation_versions.html",  # its versions of the regulation (#16 item 7)
        "ops/evidence/_style.html",
    }
)

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
STYLE_IN_MARKUP = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
MAIN_PAGES_FOR_STAFF = {
    "home",
    "complaints:overview",
    "complaints:detail",
    "complaints:customer-file",
    "messaging:message",
    "messaging:compose",
    "reports:dashboard",
    "organisation:settings",
    "api:complaint_list",
    "api:complaint_detail",
    "api:message_list",
    "api:openapi-json",
    "api:openapi-view",
    "admin:index",
}
PUBLIC_PAGES = {"login", "public-report", "public-regulation", "public-status"}


def sha256_source(text: str) -> str:
    """The CSP source that allows exactly this inline script or style."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


# --- Walking the URL patterns ---------------------------------------------------------------


def patterns(
    resolver: URLResolver, namespace: str = "", outer: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(the name to reverse, its arguments) for every named pattern, namespaces included."""
    for entry in resolver.url_patterns:
        arguments = (*outer, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, inner, arguments)
        elif entry.name:
            yield f"{namespace}{entry.name}", arguments


def values_for(name: str, argument: str, samples: dict[str, Any]) -> list[Any] | None:
    """The values to try for one argument of one pattern; None when the test has none."""
    if argument == "slug":
        return samples["slugs"].get(name)
    value = samples.get(f"{name}.{argument}", samples.get(argument))
    return None if value is None else [value]


def urls_to_ask(samples: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(name, path) for every URL the test can build; every slug of a pattern in turn."""
    seen: set[tuple[str, str]] = set()
    for name, arguments in patterns(get_resolver()):
        choices: list[dict[str, Any]] = [{}]
        for argument in arguments:
            values = values_for(name, argument, samples) or []
            choices = [{**chosen, argument: value} for chosen in choices for value in values]
        for kwargs in choices:
            try:
                path = reverse(name, kwargs=kwargs or None)
            except NoReverseMatch:
                continue
            if (name, path) not in seen:
                seen.add((name, path))
                yield name, path


@pytest.fixture
def samples(complaint, admin_user, employee) -> dict[str, Any]:  # noqa: F811 - the fixture
    attachment = attachment_add(
        complaint=complaint,
        actor=employee,
        file=ContentFile(b"Gebeld op maandag.\n", name="notitie.txt"),
        now=NOW,
    )
    letter = customer_message_send_standard(
        complaint=complaint,
        author=employee,
        kind=MessageKind.RECEIPT,
        channel="letter",
        now=NOW + timedelta(minutes=1),
    )
    _feed, feed_token = feed_create(staff=admin_user, now=NOW)
    return {
        "reference": complaint.reference,
        "customer_id": complaint.customer_id,
        "message_id": letter.pk,
        "pk": attachment.pk,
        "action_id": 1,
        "token": status_token_for(complaint),
        "feeds:feed.token": feed_token,
        "setup.token": "onbekend",
        "closing_day_id": 1,
        "item_id": 1,
        "object_id": admin_user.pk,
        "id": admin_user.pk,
        "content_type_id": 1,
        "app_label": "accounts",
        "uidb64": "MQ",
        "password_reset_confirm.token": "onbekend",
        "url": "onbekend/",
        # django-allauth's (#15): pages that answer 404 here, a passkey, the SSO provider.
        "key": "onbekend",
        "uidb36": "1",
        "provider_id": "sso",
        # #16: an improvement measure, a dossier in the audit sample.
        "measure_id": 1,
        "complaint_id": complaint.pk,
        # #16: the dashboard's drill-down per course or trainer.
        "reports:dimension-complaints.segment": "cursus",
        "reports:dimension-complaints.key": "geen",
        # #16 item 7: a version of the regulation (the first is kept by migrate).
        "number": 1,
        "slugs": {
            "complaints:step": list(STEP_PAGES),
            "messaging:compose": list(KIND_OF_SLUG),
            "messaging:template": list(KIND_OF_SLUG),
            "messaging:template-reset": list(KIND_OF_SLUG)[:1],
            "reports:failures": [key.replace("_", "-") for key in MEASURE_KEYS],
        },
    }


def check_headers(path: str, response: Any) -> None:
    """What every answer must carry; for HTML, also that its inline code is allowed."""
    where = f"{path} ({response.status_code})"
    assert response.status_code != 500, where  # 503: the health check without a worker
    assert response["X-Content-Type-Options"] == "nosniff", where
    # The status pages' address is a secret: they send their origin alone (public/views.py).
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin"}, where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert "camera=()" in response["Permissions-Policy"], where
    policy = directives(response["Content-Security-Policy"])
    if policy.get("default-src") == ["'none'"]:  # a download's own, stricter policy
        assert "sandbox" in policy, where
        assert "no-store" in response["Cache-Control"], where
        return
    assert policy["default-src"] == ["'self'"], where
    assert "'unsafe-inline'" not in policy["script-src"], where
    assert "'unsafe-eval'" not in policy["script-src"], where
    assert "'unsafe-inline'" not in policy["style-src"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'none'"], where
    content_type = response.get("Content-Type", "")
    if content_type.startswith(("text/html", "application/json")):
        assert "no-store" in response["Cache-Control"], where
    else:  # a download or a feed: private at the least
        assert re.search(r"no-store|private", response["Cache-Control"]), where
    if content_type.startswith("text/html"):
        html = response.content.decode()
        for attributes, script in INLINE_SCRIPT.findall(html):
            if "application/json" in attributes:
                continue  # data, never run
            assert sha256_source(script) in policy["script-src"], f"{where}: {script[:200]}"
        assert not STYLE_IN_MARKUP.search(html), f"{where}: inline style"


def test_every_page_and_api_answer_carries_the_security_headers(samples, admin_user):
    """CSP without inline code, Permissions-Policy, nosniff, Referrer-Policy, COOP and
    Cache-Control: no-store on every answer, for staff and for anonymous visitors."""
    staff = Client()
    staff.force_login(admin_user)
    anonymous = Client()
    answered: dict[str, set[str]] = {"staff": set(), "anonymous": set()}
    for name, path in urls_to_ask(samples):
        for who, client in (("staff", staff), ("anonymous", anonymous)):
            response = client.get(path)
            check_headers(path, response)
            if response.status_code == 200:
                answered[who].add(name)
    assert answered["staff"] >= MAIN_PAGES_FOR_STAFF, MAIN_PAGES_FOR_STAFF - answered["staff"]
    assert answered["anonymous"] >= PUBLIC_PAGES, PUBLIC_PAGES - answered["anonymous"]


def test_every_url_pattern_is_walked(samples):
    """No pattern is left out for an argument the walk cannot make: a new kind of argument
    needs a sample in the fixture."""
    missing = [
        (name, argument)
        for name, arguments in patterns(get_resolver())
        for argument in arguments
        if values_for(name, argument, samples) is None
    ]
    assert missing == []
    asked = {name for name, _path in urls_to_ask(samples)}
    assert asked == {name for name, _arguments in patterns(get_resolver())}


def test_a_view_that_chooses_its_caching_keeps_it(samples, admin_user):
    """The calendar feed is revalidated by ETag (private, no-cache), not refetched whole."""
    response = Client().get(reverse("feeds:feed", args=[samples["feeds:feed.token"]]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_errors_carry_the_headers_too(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    check_headers("/bestaat-niet/", response)
    api = client.get("/api/v1/bestaat-niet")
    assert api.status_code == 404
    check_headers("/api/v1/bestaat-niet", api)


def test_static_files_keep_their_own_caching(settings, db):
    """WhiteNoise answers them before the headers middleware: cacheable, no policy needed."""
    settings.WHITENOISE_USE_FINDERS = True  # served from the package, as without collecting
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/klachten/app.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware, before it


# --- The policy and the templates ---------------------------------------------------------------


def templates() -> Iterator[tuple[str, str]]:
    for path in sorted(SOURCE.rglob("templates/**/*.html")):
        name = path.as_posix().split("/templates/", 1)[1]
        yield name, path.read_text(encoding="utf-8")


def test_every_inline_script_of_the_templates_is_allowed_by_its_hash():
    """The policy allows these scripts and nothing else inline. When one changes, its new hash
    is below; better still, move it to static/klachten/app.js and drop its hash."""
    found: dict[str, str] = {}
    for name, text in templates():
        for attributes, script in INLINE_SCRIPT.findall(text):
            if "application/json" not in attributes:
                assert "{{" not in script, f"{name}: a script that changes per page has no hash"
                assert "{%" not in script, f"{name}: a script that changes per page has no hash"
                found[name] = sha256_source(script)
    assert found == settings.INLINE_SCRIPT_HASHES


def test_no_page_template_styles_inline():
    """style-src 'self': no <style> and no style attribute outside the PDF templates."""
    styled = [name for name, text in templates() if STYLE_IN_MARKUP.search(text)]
    assert sorted(styled) == sorted(PDF_TEMPLATES & set(styled))
    assert set(styled) <= PDF_TEMPLATES


# htmx runs a trigger's [filter], hx-on and "js:" values through eval, which the policy
# forbids ('unsafe-eval' is not allowed): such a filter is skipped, with an error in the console.
HTMX_EVAL = re.compile(r"""hx-on|hx-vars|hx-vals=['"]\s*js:""")
HX_TRIGGER = re.compile(r'hx-trigger="([^"]*)"')


def evaluates_script(template: str) -> bool:
    """Whether the template asks htmx for eval; ``from:input[type=search]`` is a selector."""
    triggers = HX_TRIGGER.findall(template)
    filters = [re.sub(r"from:\S+", "", trigger) for trigger in triggers]
    return bool(HTMX_EVAL.search(template)) or any("[" in trigger for trigger in filters)


def test_no_template_asks_htmx_to_evaluate_script():
    evaluated = [name for name, text in templates() if evaluates_script(text)]
    assert evaluated == []


def test_the_htmx_indicator_style_hash_is_that_of_the_vendored_htmx():
    """htmx adds one <style> for its request indicators; the policy allows exactly that one."""
    source = HTMX.read_text(encoding="utf-8")
    pieces = re.search(
        r"`\.\$\{t\}(\{[^`]*\}) `\+`\.\$\{n\} \.\$\{t\}, \.\$\{n\}\.\$\{t\}(\{[^`]*\})`", source
    )
    assert pieces, "htmx changed how it adds its indicator style: check the hash"
    style = (
        f".htmx-indicator{pieces.group(1)} "
        f".htmx-request .htmx-indicator, .htmx-request.htmx-indicator{pieces.group(2)}"
    )
    assert sha256_source(style) == settings.HTMX_INDICATOR_STYLE_HASH
    assert (
        settings.HTMX_INDICATOR_STYLE_HASH
        in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    )


# --- HTTPS from the environment ------------------------------------------------------------------


def _clean_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KLACHTEN_", "SECURE_", "SESSION_", "CSRF_"))
        and key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "SECRET_KEY",
            # Set by the end-to-end tests for Playwright's event loop; never in deployment.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env["KLACHTEN_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


SECRET = "k" * 10 + "Zq8-3vLr_xW0pTn4sYb7mHc2dJf9gKe1aUo6iRl5tNw"  # long and varied enough


def test_check_deploy_reports_nothing_with_the_https_settings(tmp_path):
    """The README's deployment settings give a clean `klachten check --deploy`."""
    result = subprocess.run(
        [sys.executable, "-m", "klachten", "check", "--deploy", "--fail-level", "WARNING"],
        env=_clean_environment(tmp_path, KLACHTEN_HTTPS="true", SECRET_KEY=SECRET),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


SHOW = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
from django.conf import settings
names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SECURE_PROXY_SSL_HEADER", "SILENCED_SYSTEM_CHECKS"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def _settings(tmp_path: Path, **environment: str) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", SHOW],
        env=_clean_environment(tmp_path, **environment),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(result.stdout))


def test_without_https_nothing_insists_on_it(tmp_path):
    """Local use over http://127.0.0.1 keeps working: no redirect, no HSTS, plain cookies."""
    shown = _settings(tmp_path)
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0
    assert shown["SESSION_COOKIE_SECURE"] is False
    assert shown["CSRF_COOKIE_SECURE"] is False
    assert shown["SECURE_PROXY_SSL_HEADER"] is None


def test_https_turns_on_the_redirect_hsts_and_secure_cookies(tmp_path):
    shown = _settings(tmp_path, KLACHTEN_HTTPS="true")
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_HSTS_SECONDS"] == 31536000
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert shown["SECURE_HSTS_PRELOAD"] is False
    assert "security.W021" in shown["SILENCED_SYSTEM_CHECKS"]
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True


def test_preload_proxy_and_hsts_seconds_are_chosen_in_the_environment(tmp_path):
    shown = _settings(
        tmp_path,
        KLACHTEN_HTTPS="true",
        KLACHTEN_HSTS_PRELOAD="true",
        KLACHTEN_HSTS_SECONDS="63072000",
        KLACHTEN_BEHIND_PROXY="true",
    )
    assert shown["SECURE_HSTS_PRELOAD"] is True
    assert "security.W021" not in shown["SILENCED_SYSTEM_CHECKS"]
    assert shown["SECURE_HSTS_SECONDS"] == 63072000
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_old_session_cookie_setting_still_works(tmp_path):
    shown = _settings(tmp_path, SESSION_COOKIE_SECURE="true")
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_SSL_REDIRECT"] is False


def test_a_wrong_hsts_value_is_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "klachten", "check"],
        env=_clean_environment(tmp_path, KLACHTEN_HTTPS="true", KLACHTEN_HSTS_SECONDS="een jaar"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "KLACHTEN_HSTS_SECONDS" in result.stderr
    assert "Traceback" not in result.stderr
