"""POST /api/v1/wording/check (CONTRACT.md): R13 blocks, R12 warns."""

from __future__ import annotations

import pytest

URL = "/api/v1/wording/check"


def test_a_forbidden_word_is_found_with_offsets_and_suggestions(api):
    """R13: 'klacht' in a letter is reported where it stands, with a rephrasing."""
    text = "Beste mevrouw Bakker, wij hebben uw klacht goed ontvangen."
    response = api.post(URL, {"text": text})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert body["sendable"] is False
    [finding] = body["findings"]
    assert finding["rule"] == "R13"
    assert text[finding["start"] : finding["end"]] == finding["text"] == "klacht"
    assert finding["blocks"] is True
    assert finding["suggestions"]
    assert "klacht" in finding["message"]


def test_every_finding_is_reported_at_once(api):
    """R13: all words at once, in text order (Django password_validation style)."""
    text = "Het probleem met de Foutmelding en de KLACHTEN-procedure."
    findings = api.post(URL, {"text": text}).json()["findings"]
    # "Het probleem" → "De kwestie": the article agrees, so it is part of the finding.
    assert [f["text"] for f in findings] == ["Het probleem", "Foutmelding", "KLACHTEN-procedure"]
    assert all(text[f["start"] : f["end"]] == f["text"] for f in findings)
    assert "“probleem”" in findings[0]["message"]


def test_applying_the_first_suggestions_at_their_offsets_gives_a_clean_text(api):
    """R13: a client that replaces text[start:end] by the first suggestion, as the one-click
    buttons do, gets correct Dutch that passes the check ("een grote kwestie", "misgegaan")."""
    text = "Dat was een groot probleem. Er is iets fout gegaan met uw klacht."
    findings = api.post(URL, {"text": text}).json()["findings"]
    for finding in sorted(findings, key=lambda f: f["start"], reverse=True):
        text = text[: finding["start"]] + finding["suggestions"][0] + text[finding["end"] :]
    assert text == "Dat was een grote kwestie. Er is iets misgegaan met uw melding."
    assert api.post(URL, {"text": text}).json()["ok"] is True


def test_blame_is_a_warning_that_does_not_block(api):
    """R12: blaming the computer is flagged, but only as a warning."""
    text = "Dat de uitnodiging te laat kwam, ligt aan het computersysteem."
    body = api.post(URL, {"text": text}).json()
    assert body["ok"] is False
    assert body["sendable"] is True
    assert [f["rule"] for f in body["findings"]] == ["R12"]
    assert body["findings"][0]["blocks"] is False
    # The explanation (#11): the party blamed and the words that weighed most.
    assert body["findings"][0]["party"] == "computersysteem"
    assert 1 <= len(body["findings"][0]["words"]) <= 3
    assert all(word in text for word in body["findings"][0]["words"])
    assert "computersysteem" in body["findings"][0]["message"]


def test_an_r13_finding_has_no_party(api):
    body = api.post(URL, {"text": "Uw klacht."}).json()
    assert body["findings"][0]["party"] is None
    assert body["findings"][0]["words"] == []


def test_a_clean_text_is_ok(api):
    body = api.post(URL, {"text": "Hartelijk dank voor uw melding. Wij bellen u morgen."}).json()
    assert body == {"ok": True, "sendable": True, "language": "nl", "findings": []}


def test_english_messages_on_request(api):
    """English is the second language of the interface and the API messages."""
    api.headers["Accept-Language"] = "en"
    body = api.post(URL, {"text": "uw klacht"}).json()
    assert "R13" in body["findings"][0]["message"]


@pytest.mark.parametrize(
    ("body", "raw", "status", "code"),
    [
        ({"text": ""}, None, 422, "text_empty"),
        ({"text": "   \n "}, None, 422, "text_empty"),
        ({"text": "a" * 1_000_000}, None, 413, "text_too_long"),
        ({}, None, 422, "invalid"),
        ({"text": 42}, None, 422, "invalid"),
        ({"text": None}, None, 422, "invalid"),
        (None, "{not json", 422, "invalid_json"),
        (None, "[1, 2]", 422, "invalid_json"),
        (None, '"text"', 422, "invalid_json"),
        (None, b"\xff\xfe\x00", 422, "invalid_json"),
        (None, '{"text": "' + "b" * 3_000_000 + '"}', 413, "body_too_large"),
    ],
)
def test_bad_input_gets_a_clear_4xx(api, body, raw, status, code):
    """Bad input never produces a 500: always JSON {detail, code} with a 4xx."""
    response = api.post(URL, body, raw=raw)
    assert response.status_code == status, response.content[:300]
    payload = response.json()
    assert payload["code"] == code
    assert isinstance(payload["detail"], str)
    assert payload["detail"]


def test_wording_check_needs_a_staff_member(anonymous_api):
    assert anonymous_api.post(URL, {"text": "hallo"}).status_code == 401


def test_a_wrong_token_is_refused(api):
    api.headers["Authorization"] = "Bearer kk_wrong"
    assert api.post(URL, {"text": "hallo"}).status_code == 401


def test_a_revoked_token_is_refused(api, employee):
    """``klachten token revoke`` ends a token at once."""
    from django.utils import timezone

    from klachten.accounts.services import token_revoke

    assert api.post(URL, {"text": "hallo"}).status_code == 200
    [token] = employee.api_tokens.all()
    token_revoke(api_token=token, now=timezone.now())
    assert api.post(URL, {"text": "hallo"}).status_code == 401


def test_the_token_of_a_deactivated_staff_member_is_refused(api, employee):
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    assert api.post(URL, {"text": "hallo"}).status_code == 401


def test_the_openapi_document_lists_the_endpoints(client, db):
    """The OpenAPI document is public and generated from the same schemas that validate."""
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Kerngroep Klachten API"
    assert "/api/v1/wording/check" in document["paths"]
    assert "/api/v1/calendar/deadlines" in document["paths"]


def test_the_api_docs_page_works_without_internet(client, db):
    """The browsable docs load Swagger UI from our own static files, never from a CDN."""
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html


ENGLISH_LETTER = (
    "Dear Mr Smith, thank you for your complaint about the course. We are sorry for the "
    "error in your invoice and will send you a new one this week."
)


def test_an_english_text_is_checked_in_english_by_itself(api):
    """R13 (#11): without a language the text's own is used; in English complaint and error
    are forbidden words too, with English suggestions."""
    body = api.post(URL, {"text": ENGLISH_LETTER}).json()
    assert body["language"] == "en"
    assert body["sendable"] is False
    findings = body["findings"]
    assert [f["text"] for f in findings] == ["complaint", "error"]
    assert [f["suggestions"][0] for f in findings] == ["feedback", "oversight"]
    assert all(ENGLISH_LETTER[f["start"] : f["end"]] == f["text"] for f in findings)


def test_the_language_asked_for_is_the_one_used(api):
    """R13 (#11): the customer's language, when the caller knows it, decides."""
    as_dutch = api.post(URL, {"text": ENGLISH_LETTER, "language": "nl"}).json()
    assert as_dutch["language"] == "nl"
    assert as_dutch["findings"] == []
    as_english = api.post(URL, {"text": "Wij hebben uw complaint ontvangen.", "language": "en"})
    assert as_english.json()["language"] == "en"
    assert [f["text"] for f in as_english.json()["findings"]] == ["complaint"]
    detected = api.post(URL, {"text": "Wij hebben uw complaint ontvangen.", "language": None})
    assert detected.json()["language"] == "nl"
    assert detected.json()["findings"] == []


def test_an_unknown_language_is_refused(api):
    response = api.post(URL, {"text": "uw melding", "language": "de"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_hidden_word_is_reported_as_typed_and_as_read(api):
    """R13 (#11): a soft hyphen and a Cyrillic letter hide nothing; the finding points at the
    characters as typed and the message says how the word reads."""
    text = "Wij hebben uw kla\u00adcht over de f\u043eut ontvangen."
    findings = api.post(URL, {"text": text}).json()["findings"]
    assert [f["text"] for f in findings] == ["kla\u00adcht", "f\u043eut"]
    assert all(text[f["start"] : f["end"]] == f["text"] for f in findings)
    assert "“klacht”" in findings[0]["message"]
    assert "“fout”" in findings[1]["message"]
