"""The public form when the database takes no writes (issue #10, item 21).

The customer gets the form back with everything typed and a calm message (503), in their own
language and without a word of R13 or blame (R12); nothing is half-saved — no complaint, no
rate-limit mark, no mail, no file left behind. Files cannot be kept by a browser, so the form
says plainly that they must be chosen again. No mock: the database really refuses writes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from klachten.complaints.models import Attachment, Complaint
from klachten.customers.models import CustomerFile
from klachten.domain import wording
from klachten.mail.models import OutboxMessage
from klachten.public.models import SubmissionMark
from tests.db_faults import writes_refused
from tests.public.conftest import page_text, r13_words


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect Dutch."""
    yield
    translation.deactivate()


pytestmark = pytest.mark.usefixtures("clock")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("bevestiging.pdf", PDF, content_type="application/pdf")


def _nothing_saved(media) -> None:
    assert Complaint.objects.count() == 0
    assert CustomerFile.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert SubmissionMark.objects.count() == 0
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_refused_write_shows_the_form_again_with_everything_typed(db, form_data, media):
    with writes_refused():
        response = Client().post("/melding/", {**form_data, "attachments": [_pdf()]})
    assert response.status_code == 503
    html = response.content.decode()
    assert "Uw melding is nog niet verstuurd: dat lukte op dit moment niet." in html
    assert "Wat u heeft ingevuld, staat er nog" in html
    for name in ("name", "street", "house_number", "town", "email", "course"):
        assert f'value="{form_data[name]}"' in html, name
    assert form_data["what_happened"] in html
    assert form_data["wish"] in html
    # Honest about the files: the browser cannot keep them.
    assert "De bestanden die u had gekozen, zijn niet bewaard. Kies ze opnieuw" in html
    _nothing_saved(media)


def test_without_files_the_form_does_not_mention_them(db, form_data, media):
    with writes_refused():
        response = Client().post("/melding/", form_data)
    assert response.status_code == 503
    assert "Kies ze opnieuw" not in response.content.decode()
    _nothing_saved(media)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_message_avoids_r13_words_and_blames_nobody(db, form_data, media, language):
    """R12, R13: the words a customer reads on a refused write, in Dutch and English."""
    client = Client(headers={"accept-language": language})
    with writes_refused():
        response = client.post("/melding/", {**form_data, "attachments": [_pdf()]})
    assert response.status_code == 503
    text = page_text(response.content.decode())
    assert r13_words(text) == []
    assert [f.text for f in wording.check(text, language=language) if f.rule == "R12"] == []
    if language == "en":
        assert "Your report has not been sent yet" in text
        assert "Please choose them again" in text


def test_once_writes_are_taken_again_the_same_form_is_accepted(db, form_data, media):
    client = Client()
    with writes_refused():
        assert client.post("/melding/", form_data).status_code == 503
    response = client.post("/melding/", form_data)
    assert response.status_code == 302
    assert Complaint.objects.count() == 1
