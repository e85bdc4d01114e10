"""Attachments: kept in the data dir, size- and type-checked, never served without a right to
the complaint (R2, R5)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, include, path, reverse
from django.views.static import serve

from klachten.audit.models import AuditEntry
from klachten.complaints.attachments import (
    DEFAULT_MAX_SIZE,
    attachment_add,
    attachment_list,
    attachments_erase,
    clean_name,
)
from klachten.complaints.models import Attachment
from klachten.config import settings as project_settings
from klachten.core.errors import InvalidInput, TooLarge
from tests.complaints.conftest import NOW


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("pagina")


# The project's URLs include these under "bijlagen/" (klachten.config.urls); the tests bring
# their own, so they do not depend on the rest of the site — but for the complaint pages, which
# the mails of a registration link to (#10, item 14).
urlpatterns = [
    path("", _page, name="home"),
    path("inloggen/", _page, name="login"),
    path("meldingen/", include("klachten.complaints.urls")),
    path("bijlagen/", include("klachten.complaints.attachment_urls")),
]


def _not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseNotFound("niet gevonden")


# The site's own 404 page sits in its layout, which links to the rest of the site.
handler404 = _not_found
pytestmark = pytest.mark.urls(__name__)

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EML = (
    b"From: A. Bakker <a.bakker@example.nl>\r\nTo: klachten@kerngroep.nl\r\n"
    b"Subject: Cursusmap ontbreekt\r\nDate: Mon, 2 Nov 2026 09:12:00 +0100\r\n\r\n"
    b"Goedemorgen,\r\n\r\nDe cursusmap was er niet.\r\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def office_package(main_part: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<document/>")
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """A data dir of the test's own, so "nothing on disk" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    return Path(settings.MEDIA_ROOT)


def files_on_disk(root: Path) -> list[Path]:
    return [item for item in root.rglob("*") if item.is_file()] if root.exists() else []


def upload_url(complaint: Any) -> str:
    return reverse("attachments:upload", args=[complaint.reference])


def download_url(attachment: Attachment) -> str:
    return reverse("attachments:download", args=[attachment.complaint.reference, attachment.pk])


def client_for(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def upload(client: Client, complaint: Any, name: str, content: bytes, **headers: str) -> Any:
    return client.post(
        upload_url(complaint),
        {"file": SimpleUploadedFile(name, content), "next": "/meldingen/"},
        headers=headers,
    )


def added(complaint: Any, staff: Any, name: str = "brief.pdf", content: bytes = PDF) -> Attachment:
    return attachment_add(
        complaint=complaint, actor=staff, file=SimpleUploadedFile(name, content), now=NOW
    )


# --- Adding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Brief aan mevrouw Bakker.pdf", PDF, "application/pdf"),
        ("foto map.JPG", JPEG, "image/jpeg"),
        ("scherm.png", PNG, "image/png"),
        ("aantekening.txt", "Gebeld om 10.15 uur, café gesloten.".encode("cp1252"), "text/plain"),
        (
            "verslag.docx",
            office_package("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "lijst.xlsx",
            office_package("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("mail van de klant.eml", EML, "message/rfc822"),
    ],
)
def test_each_allowed_type_is_accepted_and_kept_under_a_name_of_our_own(
    complaint: Any, employee: Any, media_root: Path, name: str, content: bytes, content_type: str
) -> None:
    attachment = added(complaint, employee, name, content)

    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    stored = media_root / attachment.file.name
    assert stored.read_bytes() == content
    assert stored.parent == media_root / "attachments" / str(complaint.pk)
    assert name not in str(stored)
    assert len(stored.name) == 32  # a uuid, without the uploader's name or extension


def test_an_upload_lands_in_the_data_dir_with_its_uploader_and_an_audit_entry(
    complaint: Any, employee: Any, media_root: Path
) -> None:
    """R2: every change is logged; R5: the document is kept with the complaint."""
    response = upload(client_for(employee), complaint, "Brief aan mevrouw Bakker.pdf", PDF)

    assert response.status_code == 302
    assert response["Location"] == "/meldingen/"
    attachment = Attachment.objects.get()
    assert attachment.complaint == complaint
    assert attachment.uploaded_by == employee
    assert files_on_disk(media_root) == [media_root / attachment.file.name]
    entry = AuditEntry.objects.get(action="attachment_added")
    assert entry.actor == employee
    assert entry.complaint == complaint
    assert entry.after["name"] == "Brief aan mevrouw Bakker.pdf"
    assert entry.after["attachment"] == attachment.pk


def test_the_data_dir_holds_the_files_and_no_url_serves_it() -> None:
    """Uploads go to MEDIA_ROOT inside KLACHTEN_DATA_DIR, away from the static files, and the
    project has no URL for them: only the download view hands them out."""
    media_root = Path(project_settings.MEDIA_ROOT)  # as configured, not as overridden here
    assert media_root.is_relative_to(project_settings.DATA_DIR)
    assert not media_root.is_relative_to(project_settings.STATIC_ROOT)
    project_urls = get_resolver("klachten.config.urls")
    assert serve not in set(_views(project_urls.url_patterns))
    for stored in ("/attachments/1/" + "0" * 32, "/files/attachments/1/" + "0" * 32):
        with pytest.raises(Resolver404):
            project_urls.resolve(stored)


def _views(patterns: list[Any]) -> Iterator[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        else:
            yield pattern.callback


def test_with_htmx_the_panel_comes_back_with_the_new_attachment(
    complaint: Any, employee: Any
) -> None:
    response = upload(client_for(employee), complaint, "brief.pdf", PDF, HX_Request="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="bijlagen"' in html
    assert "Bijlage brief.pdf is toegevoegd." in html
    assert download_url(Attachment.objects.get()) in html


# --- Refused files leave nothing behind --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("factuur.exe", EXE, "Dit soort bestand kan niet worden toegevoegd."),
        ("pagina.html", b"<html><script>alert(1)</script></html>", "Toegestaan zijn PDF, JPEG"),
        ("zonder-extensie", PDF, "Dit soort bestand kan niet worden toegevoegd."),
        ("factuur.pdf", EXE, "De inhoud van factuur.pdf past niet bij de extensie .pdf"),
        ("foto.jpg", PNG, "het is geen echt JPEG-bestand"),
        ("scherm.png", PDF, "het is geen echt PNG-bestand"),
        ("verslag.docx", b"PK\x03\x04 geen echt zip-bestand", "het is geen echt Word-bestand"),
        ("verslag.docx", office_package("xl/workbook.xml"), "het is geen echt Word-bestand"),
        (
            "verslag.docx",
            office_package("word/document.xml", macros=True),
            "het is geen echt Word-bestand",
        ),
        ("lijst.xlsx", office_package("word/document.xml"), "het is geen echt Excel-bestand"),
        ("notitie.txt", b"tekst\x00met nul", "het is geen echt tekst-bestand"),
        ("notitie.txt", PNG, "het is geen echt tekst-bestand"),
        ("mail.eml", b"Gewoon een tekst zonder kopregels.\n", "het is geen echt e-mail-bestand"),
        ("leeg.pdf", b"", "Het bestand is leeg."),
    ],
)
def test_a_refused_file_gets_a_clear_dutch_reason_and_nothing_is_saved(
    complaint: Any, employee: Any, media_root: Path, name: str, content: bytes, message: str
) -> None:
    response = upload(client_for(employee), complaint, name, content, HX_Request="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(action="attachment_added").exists()
    assert files_on_disk(media_root) == []


def test_a_file_over_ten_megabytes_is_refused_and_nothing_is_saved(
    complaint: Any, employee: Any, media_root: Path
) -> None:
    assert DEFAULT_MAX_SIZE == 10 * 1024 * 1024
    content = PDF + b"0" * (DEFAULT_MAX_SIZE - len(PDF) + 1)

    response = upload(client_for(employee), complaint, "scan.pdf", content, HX_Request="true")

    html = response.content.decode()
    assert "Het bestand scan.pdf is te groot (10,0" in html
    assert "het maximum is 10,0" in html
    assert not Attachment.objects.exists()
    assert files_on_disk(media_root) == []


def test_the_maximum_size_is_a_setting(complaint: Any, employee: Any, settings: Any) -> None:
    settings.ATTACHMENT_MAX_SIZE = 1024
    with pytest.raises(TooLarge) as refusal:
        added(complaint, employee, "brief.pdf", PDF + b"0" * 1024)
    assert refusal.value.code == "attachment_too_large"
    assert added(complaint, employee, "brief.pdf", PDF).size == len(PDF)


def test_without_htmx_a_refusal_is_shown_on_the_page_the_form_came_from(
    complaint: Any, employee: Any
) -> None:
    client = client_for(employee)
    response = upload(client, complaint, "factuur.pdf", EXE)

    assert response.status_code == 302
    assert response["Location"] == "/meldingen/"
    [message] = list(response.wsgi_request._messages)
    assert "De inhoud van factuur.pdf past niet" in str(message)
    assert not Attachment.objects.exists()


def test_a_redirect_elsewhere_is_not_followed(complaint: Any, employee: Any) -> None:
    response = client_for(employee).post(
        upload_url(complaint),
        {"file": SimpleUploadedFile("brief.pdf", PDF), "next": "https://elders.example/"},
    )
    assert response["Location"] == "/"


def test_the_uploaders_path_and_control_characters_are_dropped_from_the_name() -> None:
    assert clean_name("C:\\Users\\petra\\Documents\\brief.pdf") == "brief.pdf"
    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_name("brief\r\nX-Header: kwaad.pdf") == "briefX-Header: kwaad.pdf"
    long_name = "a" * 300 + ".pdf"
    assert clean_name(long_name) == "a" * 251 + ".pdf"


def test_without_a_file_the_service_refuses(complaint: Any, employee: Any) -> None:
    with pytest.raises(InvalidInput) as refusal:
        attachment_add(
            complaint=complaint, actor=employee, file=File(io.BytesIO(PDF), name="\r\n"), now=NOW
        )
    assert refusal.value.code == "attachment_required"


# --- Who may download --------------------------------------------------------------------------


def test_the_receiver_downloads_the_file_under_its_original_name(
    complaint: Any, employee: Any
) -> None:
    attachment = added(complaint, employee, "Brief aan mevrouw Bakker.pdf")

    response = client_for(employee).get(download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Brief aan mevrouw Bakker.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_name_with_accents_is_offered_intact(complaint: Any, employee: Any) -> None:
    attachment = added(complaint, employee, "Uitspraak geschillencommissie één.pdf")
    response = client_for(employee).get(download_url(attachment))
    assert (
        "filename*=utf-8''Uitspraak%20geschillencommissie%20%C3%A9%C3%A9n.pdf"
        in (response["Content-Disposition"])
    )


def test_management_may_download_and_the_read_is_logged(
    complaint: Any, employee: Any, manager: Any
) -> None:
    """R2: management sees every complaint; every read is logged."""
    attachment = added(complaint, employee)

    response = client_for(manager).get(download_url(attachment))

    assert response.status_code == 200
    read = AuditEntry.objects.get(action="viewed", actor=manager)
    assert read.complaint == complaint
    assert read.after == {"attachment": attachment.pk}


def test_another_employee_gets_404_for_the_file_and_the_upload(
    complaint: Any, employee: Any, make_staff: Any
) -> None:
    """R2: an employee who neither received nor handles the complaint learns nothing of it,
    not even that it exists."""
    attachment = added(complaint, employee)
    outsider = client_for(make_staff("sanne", "employee"))

    assert outsider.get(download_url(attachment)).status_code == 404
    assert outsider.get(reverse("attachments:download", args=["KG-2099-99999", 1])).status_code == (
        404
    )
    response = upload(outsider, complaint, "brief.pdf", PDF)
    assert response.status_code == 404
    assert Attachment.objects.count() == 1
    assert not AuditEntry.objects.filter(action="viewed").exists()


def test_an_attachment_is_not_reachable_through_another_complaints_reference(
    complaint: Any, employee: Any, make_staff: Any
) -> None:
    from klachten.complaints.services import Checklist, complaint_register
    from tests.complaints.conftest import customer_data

    mine = complaint_register(
        receiver=make_staff("sanne", "employee"),
        customer=customer_data(name="De heer B. Jansen"),
        received_at=NOW,
        channel="desk",
        report="Lokaal te koud tijdens de training Excel.",
        checklist=Checklist(),
        now=NOW,
    )
    attachment = added(complaint, employee)
    url = reverse("attachments:download", args=[mine.reference, attachment.pk])

    assert client_for(mine.receiver).get(url).status_code == 404


def test_anyone_not_logged_in_is_sent_to_the_login(complaint: Any, employee: Any) -> None:
    attachment = added(complaint, employee)
    response = Client().get(download_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


# --- The panel and retention -------------------------------------------------------------------


def test_the_panel_lists_the_attachments_and_the_upload_rules(
    complaint: Any, employee: Any, rf: Any
) -> None:
    added(complaint, employee, "brief.pdf")
    request = rf.get("/meldingen/")
    request.user = employee

    html = render_to_string(
        "complaints/_attachments.html",
        {"complaint": complaint, "attachments": attachment_list(complaint)},
        request=request,
    )

    assert "brief.pdf" in html
    assert "Petra de Vries" in html
    assert "maximaal 10,0\xa0MB" in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.txt,.docx,.xlsx,.eml"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="next" value="/meldingen/"' in html


def test_the_panel_says_when_there_are_none(complaint: Any, rf: Any) -> None:
    html = render_to_string(
        "complaints/_attachments.html",
        {"complaint": complaint, "attachments": attachment_list(complaint)},
        request=rf.get("/"),
    )
    assert "nog geen bijlagen" in html


def test_retention_erases_the_rows_and_the_files(
    complaint: Any, employee: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """R5: once a complaint's term is over, nothing of its files is left in the data dir."""
    added(complaint, employee, "brief.pdf")
    added(complaint, employee, "foto.png", PNG)

    with django_capture_on_commit_callbacks(execute=True):
        assert attachments_erase(complaint=complaint) == 2

    assert not Attachment.objects.exists()
    assert files_on_disk(media_root) == []
