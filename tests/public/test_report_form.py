"""The public form /melding/ (CONTRACT.md): "Laat het ons weten", without login.

A report becomes a complaint the moment it is sent (R3, R16), with channel web, unchecked NAW
(R6) and nobody responsible yet (R15); management is alerted at once (R3) and the customer
gets a confirmation with their private status link. Abuse is kept out by CSRF, a honeypot, a
rate limit per client address and limits on text and files; bad input comes back in Dutch,
with everything typed kept. No word of R13 reaches the customer, in Dutch or English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klachten.accounts.models import Role
from klachten.audit.models import AuditEntry
from klachten.complaints.models import Attachment, Complaint
from klachten.complaints.selectors import status_token_for
from klachten.customers.models import CustomerFile
from klachten.mail.models import OutboxMessage
from klachten.public.client import address_key
from klachten.public.models import SubmissionMark
from tests.public.conftest import NOW, page_text, r13_words

pytestmark = pytest.mark.usefixtures("clock")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _send(client: Client, data: dict, **extra):
    return client.post("/melding/", data, **extra)


def _pdf(name: str = "bevestiging.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def managers(make_staff):
    return [
        make_staff("marco", Role.MANAGEMENT, first_name="Marco", email="marco@kerngroep.nl"),
        make_staff("ingrid", Role.MANAGEMENT, first_name="Ingrid", email="ingrid@kerngroep.nl"),
    ]


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_form_asks_for_naw_course_what_went_wrong_wishes_and_consent_without_r13_words(
    db, language
):
    """R13: the form's own words avoid klacht, probleem, problem and fout, in both languages."""
    client = Client(headers={"accept-language": language})
    response = client.get("/melding/")
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert r13_words(text) == []
    if language == "nl":
        assert "Laat het ons weten" in text
        for label in (
            "Naam",
            "Postcode",
            "Om welke cursus of training gaat het?",
            "Wat is er misgegaan?",
            "Wat zou u graag willen?",
            "toestemming",
        ):
            assert label in text, label
    for name in (
        "name",
        "street",
        "house_number",
        "postcode",
        "town",
        "email",
        "course",
        "what_happened",
        "wish",
        "attachments",
        "consent",
        "csrfmiddlewaretoken",
    ):
        assert f'name="{name}"' in html, name
    # The honeypot is out of sight, out of the tab order, and hidden from screen readers.
    assert re.search(r'<div class="hp-field" aria-hidden="true">', html)
    assert re.search(r'name="website"[^>]*tabindex="-1"|tabindex="-1"[^>]*name="website"', html)


def test_the_form_needs_no_login(db):
    response = Client().get("/melding/")
    assert response.status_code == 200
    assert "Uitloggen" not in response.content.decode()


# --- A report arrives --------------------------------------------------------------------------


def test_a_report_becomes_a_new_web_complaint_without_receiver_and_management_hears_at_once(
    db, managers, form_data
):
    """R3: registered at submission (deadlines from now), management alerted at once; R15:
    nobody is receiver or handler yet; R6: NAW kept as given, not yet checked; R5: the
    report holds the customer's own words."""
    response = _send(Client(), form_data)
    assert response.status_code == 302
    assert response["Location"] == "/melding/verstuurd/"

    complaint = Complaint.objects.select_related("customer").get()
    assert complaint.channel == "web"
    assert complaint.status == "new"
    assert complaint.receiver is None
    assert complaint.handler is None
    assert complaint.received_at == NOW == complaint.registered_at
    # R3: the alert is queued now; management counts as told once a mail server accepted it.
    assert complaint.management_informed_at is None
    assert OutboxMessage.objects.filter(purpose="alert", complaint=complaint).exists()
    assert complaint.contact_due > NOW
    assert status_token_for(complaint)
    assert "Excel voor gevorderden" in complaint.report
    assert "niemand had mij dat laten weten" in complaint.report
    assert "reiskosten" in complaint.report
    customer = complaint.customer
    assert (customer.name, customer.postcode, customer.email) == (
        "Mevrouw J. Brouwer",
        "3512 PD",
        "j.brouwer@example.nl",
    )
    assert customer.phone == "+31 6 12345678"
    assert customer.naw_checked_at is None  # R6: an employee checks it later

    alerts = OutboxMessage.objects.filter(to__in=[m.email for m in managers])
    assert alerts.count() == 2
    assert all(complaint.reference in alert.subject for alert in alerts)
    assert "website" in alerts.first().body

    entry = AuditEntry.objects.get(complaint=complaint, action="registered")
    assert entry.actor is None
    assert entry.after["by"] == "customer"


def test_the_customer_gets_a_confirmation_with_the_status_link_and_the_organisations_details(
    db, managers, form_data
):
    """R13: the confirmation avoids the forbidden words; it links to the private status page,
    and — nobody being responsible yet — gives the organisation's contact details (R14 later,
    on the status page)."""
    from klachten.organisation.models import OrganisationSettings

    OrganisationSettings.objects.create(
        pk=1, name="Kerngroep", phone="030 760 22 00", email="info@kerngroep.example"
    )
    _send(Client(), form_data)
    complaint = Complaint.objects.get()
    mail = OutboxMessage.objects.get(to="j.brouwer@example.nl")
    assert complaint.reference in mail.subject
    link = f"{settings.BASE_URL}/status/{status_token_for(complaint)}/"
    assert link in mail.body
    assert "030 760 22 00" in mail.body
    assert "info@kerngroep.example" in mail.body
    assert "Beste Mevrouw J. Brouwer," in mail.body
    assert "Uw melding is op maandag 2 november om 10:00 bij ons binnengekomen" in mail.body
    # R3: contact within 24 working hours, said as a day the customer can hold us to (#10).
    assert "Een medewerker neemt uiterlijk dinsdag 3 november contact met u op." in mail.body
    assert r13_words(mail.subject) == []
    assert r13_words(mail.body) == []


def test_the_confirmation_is_written_in_the_language_of_the_form(db, managers, form_data):
    """The customer who filled the form in English gets the mail in English (gettext), and the
    staff see which language the customer used; the words still avoid R13."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _send(client, form_data)
    complaint = Complaint.objects.get()
    assert "Engels" in complaint.report
    mail = OutboxMessage.objects.get(to="j.brouwer@example.nl")
    assert r13_words(mail.subject + "\n" + mail.body) == []


def test_the_thank_you_page_says_what_happens_next_without_r13_words(db, managers, form_data):
    client = Client()
    response = _send(client, form_data, follow=True)
    text = page_text(response.content.decode())
    assert "Dank u wel" in text
    assert "j…r@example.nl" in text  # masked: recognisable, not readable off a screen
    assert "contact met u op" in text
    assert r13_words(text) == []
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response.headers["Cache-Control"]


def test_the_thank_you_page_without_a_report_leads_back_to_the_form(db):
    response = Client().get("/melding/verstuurd/")
    assert response.status_code == 302
    assert response["Location"] == "/melding/"


def test_attachments_are_kept_with_the_complaint_as_sent_by_the_customer(db, managers, form_data):
    """R5: the files go with the report; staff with a right to it see them (R2)."""
    form_data["attachments"] = [_pdf("factuur.pdf"), _pdf("rooster.pdf")]
    response = _send(Client(), form_data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    attachments = list(Attachment.objects.filter(complaint=complaint).order_by("id"))
    assert [a.original_name for a in attachments] == ["factuur.pdf", "rooster.pdf"]
    assert all(a.uploaded_by is None for a in attachments)
    assert all(Path(a.file.path).read_bytes() == PDF for a in attachments)
    added = AuditEntry.objects.filter(complaint=complaint, action="attachment_added")
    assert [entry.after["by"] for entry in added] == ["customer", "customer"]


# --- Bad input: Dutch messages next to the field, nothing typed lost ----------------------------


def test_missing_fields_and_consent_are_named_in_dutch_and_what_was_typed_stays(db, form_data):
    for field in ("name", "postcode", "course", "what_happened", "email"):
        form_data[field] = ""
    del form_data["consent"]
    response = _send(Client(), form_data)
    assert response.status_code == 422
    html = response.content.decode()
    text = page_text(html)
    for message in (
        "Vul uw naam in.",
        "Vul uw postcode in.",
        "Vul de naam van de cursus of training in.",
        "Vertel ons wat er is misgegaan.",
        "Vul uw e-mailadres in.",
        "Zonder uw toestemming kunnen we uw melding niet behandelen.",
        "Nog niet verstuurd",
    ):
        assert message in text, message
    assert 'value="Lange Nieuwstraat"' in html
    assert "Graag een nieuwe datum" in html
    assert r13_words(text) == []
    assert not Complaint.objects.exists()
    assert not CustomerFile.objects.exists()


def test_a_wrong_postcode_is_refused_by_the_naw_rules_next_to_the_field(db, form_data):
    """R6: the same validation as at intake; the message sits with the postcode."""
    form_data["postcode"] = "35 12"
    response = _send(Client(), form_data)
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r'id="id_postcode_error"[^>]*>Een Nederlandse postcode', html)
    assert "Lange Nieuwstraat" in html
    assert not Complaint.objects.exists()


def test_text_over_the_limits_is_refused_with_the_limit_named(db, form_data):
    form_data["what_happened"] = "a" * 5_001
    form_data["course"] = "c" * 201
    response = _send(Client(), form_data)
    assert response.status_code == 422
    text = page_text(response.content.decode())
    assert "maximaal 5000 tekens" in text
    assert "maximaal 200 tekens" in text
    assert not Complaint.objects.exists()


def test_more_files_than_allowed_are_refused_and_none_is_stored(db, form_data, settings):
    form_data["attachments"] = [_pdf(f"bijlage-{n}.pdf") for n in range(4)]
    response = _send(Client(), form_data)
    assert response.status_code == 422
    text = page_text(response.content.decode())
    assert "bijlage-3.pdf is niet meegestuurd: ten hoogste 3 bestanden." in text
    assert "Kies de bestanden die u wilt meesturen opnieuw." in text
    assert not Complaint.objects.exists()
    assert not Attachment.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_file_over_the_size_limit_is_never_stored(db, form_data, settings):
    """The upload handler drops the file while the request is read; the form says which."""
    settings.PUBLIC_MAX_FILE_SIZE = 1024
    form_data["attachments"] = [_pdf("groot.pdf", PDF + b"0" * 200_000)]
    response = _send(Client(), form_data)
    assert response.status_code == 422
    text = page_text(response.content.decode())
    assert "groot.pdf is te groot: ten hoogste 1,0 KB per bestand." in text
    assert not Complaint.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused(db, form_data):
    form_data["attachments"] = [_pdf("rekening.pdf", b"MZ\x90\x00 not a pdf at all")]
    response = _send(Client(), form_data)
    assert response.status_code == 422
    assert "geen echt PDF-bestand" in page_text(response.content.decode())
    assert not Complaint.objects.exists()


def test_a_refusal_after_files_were_written_leaves_no_file_behind(
    db, managers, form_data, monkeypatch, settings
):
    """Nothing half-saved: if the mail cannot be queued, the complaint, the customer file and
    the files already written all disappear again."""
    from klachten.public import services

    def broken(*args, **kwargs):
        raise RuntimeError("the outbox is gone")

    monkeypatch.setattr(services, "web_report_confirm", broken)
    form_data["attachments"] = [_pdf("factuur.pdf")]
    client = Client(raise_request_exception=True)
    with pytest.raises(RuntimeError):
        _send(client, form_data)
    assert not Complaint.objects.exists()
    assert not CustomerFile.objects.exists()
    assert not Attachment.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


# --- Abuse: honeypot, rate limit, CSRF ---------------------------------------------------------


def test_a_filled_honeypot_is_dropped_silently_but_looks_like_success(db, managers, form_data):
    """No complaint, no customer file, no mail — and the bot sees the same thank-you page."""
    form_data["website"] = "https://spam.example"
    client = Client()
    response = _send(client, form_data, follow=True)
    assert response.status_code == 200
    assert "Dank u wel" in page_text(response.content.decode())
    assert not Complaint.objects.exists()
    assert not CustomerFile.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_rate_limit_refuses_a_flood_from_one_address_and_keeps_what_was_typed(
    db, managers, form_data, settings
):
    settings.PUBLIC_RATE_LIMITS = ((3600, 2), (86400, 5))
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert _send(client, form_data).status_code == 302
    assert _send(client, form_data).status_code == 302
    refused = _send(client, form_data)
    assert refused.status_code == 429
    text = page_text(refused.content.decode())
    assert "Probeer het later nog eens" in text
    assert "Lange Nieuwstraat" in refused.content.decode()
    assert r13_words(text) == []
    assert Complaint.objects.count() == 2
    # Another address is not held up.
    assert _send(Client(REMOTE_ADDR="198.51.100.4"), form_data).status_code == 302


def test_the_rate_limit_counts_honeypot_reports_too(db, form_data, settings):
    settings.PUBLIC_RATE_LIMITS = ((3600, 1),)
    form_data["website"] = "spam"
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert _send(client, form_data).status_code == 302
    assert _send(client, form_data).status_code == 429


def test_the_rate_limit_is_shared_by_every_worker_through_the_database(
    db, managers, form_data, settings, clock
):
    """Marks written by another process (another gunicorn worker, another server) count: the
    limit lives in the database, not in one process's memory. Only a keyed hash of the
    address is stored. Marks older than the longest window are cleared."""
    settings.PUBLIC_RATE_LIMITS = ((3600, 3),)
    key = address_key("203.0.113.20")
    SubmissionMark.objects.bulk_create([SubmissionMark(address_hash=key, at=NOW) for _ in range(3)])
    client = Client(REMOTE_ADDR="203.0.113.20")
    assert _send(client, form_data).status_code == 429
    assert not SubmissionMark.objects.filter(address_hash__contains="203.0.113").exists()
    clock.shift(3601)
    assert _send(client, form_data).status_code == 302
    assert SubmissionMark.objects.filter(address_hash=key).count() == 1


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(
    db, managers, form_data, settings
):
    """KLACHTEN_PROXY_COUNT=1: the last X-Forwarded-For entry is the client; what a client
    writes in front of it is ignored, so it cannot dodge the limit."""
    settings.PROXY_COUNT = 1
    settings.PUBLIC_RATE_LIMITS = ((3600, 1),)
    proxy = "10.0.0.2"
    first = Client(REMOTE_ADDR=proxy, headers={"x-forwarded-for": "203.0.113.30"})
    assert _send(first, form_data).status_code == 302
    spoofed = Client(REMOTE_ADDR=proxy, headers={"x-forwarded-for": "1.2.3.4, 203.0.113.30"})
    assert _send(spoofed, form_data).status_code == 429
    other = Client(REMOTE_ADDR=proxy, headers={"x-forwarded-for": "203.0.113.31"})
    assert _send(other, form_data).status_code == 302


def test_ipv6_addresses_are_limited_per_64_network():
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:203.0.113.5") == address_key("203.0.113.5")


def test_a_report_without_a_csrf_token_is_refused_with_a_calm_page(db, form_data):
    client = Client(enforce_csrf_checks=True)
    response = _send(client, form_data)
    assert response.status_code == 403
    text = page_text(response.content.decode())
    assert "Het formulier is niet verstuurd" in text
    assert r13_words(text) == []
    assert not Complaint.objects.exists()


def test_a_report_with_the_csrf_token_of_the_page_is_accepted(db, managers, form_data):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/melding/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    response = _send(client, {**form_data, "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_the_form_page_costs_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        Client().get("/melding/")


def test_the_form_promises_contact_within_the_organisations_own_term(db):
    """R3, R17: the promise on the form follows the settings, like the regulation."""
    from klachten.organisation.models import OrganisationSettings

    OrganisationSettings.objects.create(pk=1, contact_working_hours=48)

    page = Client().get("/melding/").content.decode()

    assert "Binnen 48 werkuren neemt een medewerker contact met u op" in page
