"""Reading inbound mail (#13 items 1–4 and 8): hand-made samples of what real mail programs
send (tests/mail/data), generated extremes (30 MB, a zip bomb, deep nesting), and Hypothesis
for "never raises, whatever the bytes".
"""

from __future__ import annotations

import base64
import io
import random
import zipfile
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachten.mail import inbound
from klachten.mail.inbound import (
    InboundMail,
    MailKind,
    SkipReason,
    bounce_of,
    classification,
    classify,
    fold_quoted,
    message_ids_in,
    normalise_message_id,
    parse,
    thread_keys,
)

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OURS = ["klachten.kerngroep.nl"]
MAILBOX = "meldingen@kerngroep.nl"


def sample(name: str, **options: int) -> InboundMail:
    return parse((DATA / name).read_bytes(), now=NOW, **options)


def assert_clean(mail: InboundMail) -> None:
    """Every text is storable: valid UTF-8, no NUL (PostgreSQL refuses it)."""
    texts = [
        mail.message_id,
        mail.subject,
        mail.sender,
        mail.sender_name,
        mail.text,
        mail.full_text,
        mail.html,
        *mail.in_reply_to,
        *mail.references,
        *(value for pair in mail.headers for value in pair),
        *(a.address + a.name for a in (*mail.to, *mail.cc, *mail.reply_to)),
        *(a.filename + a.content_type for a in mail.attachments),
        *(s.filename + s.content_type for s in mail.skipped),
        *mail.defects,
    ]
    for text in texts:
        text.encode("utf-8")  # no lone surrogates
        assert "\x00" not in text
    assert mail.received_at.tzinfo is not None
    assert mail.received_at <= NOW
    for forwarded in mail.forwarded:
        assert_clean(forwarded)


# --- Replies from the mail programs customers use -------------------------------------------


def test_an_outlook_reply_keeps_only_the_new_text_above_the_van_verzonden_block() -> None:
    """R5: the answer in the file, the quoted history folded away but kept in full_text."""
    mail = sample("outlook_nl_reply.eml")
    assert mail.text == (
        "Beste mevrouw De Vries,\n\n"
        "Dank voor uw snelle reactie. Ik ben donderdag na 14.00 uur het best bereikbaar op "
        "06 12 34 56 78.\n\n"
        "Met vriendelijke groet,\nAnna Bakker"
    )
    assert "Verzonden: maandag 2 november 2026 16:05" in mail.full_text
    assert "één werkdag" in mail.full_text  # quoted-printable Latin-1 decoded
    assert mail.sender == "a.bakker@example.nl"
    assert mail.sender_name == "Bakker, Anna"
    assert [a.address for a in mail.cc] == ["petra@kerngroep.nl"]
    assert mail.in_reply_to == ("<kg-receipt-17@klachten.kerngroep.nl>",)
    assert classify(mail) == MailKind.NORMAL
    assert not mail.defects


def test_a_gmail_reply_drops_the_signature_and_the_op_schreef_quote() -> None:
    mail = sample("gmail_nl_reply.eml")
    assert mail.text == (
        "Goedemorgen,\n\n"
        "De nieuwe cursusmap is gisteren aangekomen, maar hoofdstuk 4 ontbreekt nog\n"
        "steeds. Kunt u dat nakijken?"
    )
    assert "Jan Jansen\nBovenweg 3" in mail.full_text
    assert "> Wij sturen u een nieuwe cursusmap." in mail.full_text
    assert mail.message_id == "<CAG8abc=def+123@mail.gmail.com>"


def test_an_apple_mail_reply_is_unflowed_and_loses_its_sent_from_my_iphone() -> None:
    mail = sample("apple_mail_reply.eml")
    assert mail.text == (
        "Dag mevrouw De Vries,\n\n"
        "Het gesprek van vrijdag komt mij goed uit. Ik neem graag mijn collega mee, die de "
        "cursus ook volgde.\n\nGroet,\nMarieke"
    )
    assert "Verstuurd vanaf mijn iPhone" in mail.full_text
    assert "\ufeff" not in mail.full_text


def test_an_html_only_mail_is_read_as_text_with_its_table_and_without_scripts() -> None:
    """#13 item 8: HTML-only mail converted by a library; the HTML itself is kept."""
    mail = sample("html_only.eml")
    assert mail.text_from_html
    assert "Ik ben twee keer gefactureerd voor de training Leidinggeven:" in mail.text
    assert "2026-0412  € 1.250,00" in mail.text
    assert mail.text.endswith("Graag een creditnota.\n\nMet vriendelijke groet,\nSanne Visser")
    assert "alert" not in mail.full_text
    assert "Eerdere tekst" in mail.full_text
    assert "Eerdere tekst" not in mail.text
    assert "<table>" in mail.html


def test_an_html_only_gmail_reply_folds_its_quote_too() -> None:
    html = (
        '<div dir="ltr">Goedemorgen,<br><br>Hoofdstuk 4 ontbreekt.</div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">Op ma 2 nov 2026 om 16:05 '
        "schreef Kerngroep Klachten &lt;klachten@kerngroep.nl&gt;:<br></div>"
        '<blockquote class="gmail_quote">Geachte heer Jansen,</blockquote></div>'
    )
    raw = mail_with("Subject: Re: Uw klacht", "Content-Type: text/html; charset=utf-8", body=html)
    mail = parse(raw, now=NOW)
    assert mail.text == "Goedemorgen,\n\nHoofdstuk 4 ontbreekt."
    assert "Geachte heer Jansen," in mail.full_text


# --- Charsets -------------------------------------------------------------------------------


def test_windows_1252_labelled_utf8_is_read_as_windows_1252() -> None:
    mail = sample("cp1252_labelled_utf8.eml")
    assert mail.text == (
        "Het café rekende € 4,50 voor koffie; dat stond “nergens” vermeld.\n"
        "Naïef van mij, misschien."
    )
    assert mail.subject == "Café in het cursusgebouw"
    assert "charset_mismatch: declared utf-8, read as cp1252" in mail.defects


def test_raw_8bit_headers_and_an_undeclared_charset_are_read() -> None:
    mail = sample("raw_8bit_headers.eml")
    assert mail.subject == "Cursus één keer geannuleerd – geen bericht"
    assert mail.sender_name == "Renée Müller"  # Latin-1 bytes in From
    assert mail.text == "De cursus van één dag is geannuleerd zonder dat ik bericht kreeg."
    assert "8bit_header" in mail.defects


def test_encoded_words_split_inside_a_character_are_joined_before_decoding() -> None:
    """A long subject cut into base64 words mid-character (Outlook does) stays readable."""
    encoded = "Klacht over één cursus".encode()
    cut = encoded.index("é".encode()) + 1  # between the two bytes of "é"
    words = [base64.b64encode(encoded[:cut]).decode(), base64.b64encode(encoded[cut:]).decode()]
    raw = f"Subject: =?UTF-8?B?{words[0]}?=\r\n =?UTF-8?B?{words[1]}?=\r\n\r\nx\r\n".encode()
    assert parse(raw, now=NOW).subject == "Klacht over één cursus"


def test_a_malformed_mail_gives_what_it_can_and_lists_the_defects() -> None:
    """#13 item 8: no end boundary, broken base64, a charset no one knows, a nonsense type."""
    mail = sample("malformed.eml")
    assert mail.text.startswith("De tekst moet toch te lezen zijn.")
    assert mail.subject.startswith("Klacht over de cursus")
    assert mail.date is None
    assert mail.message_id == ""
    assert {"CloseBoundaryNotFoundDefect", "unparseable_date", "no_message_id"} <= set(mail.defects)
    assert "unknown_charset: klingon-8" in mail.defects
    assert mail.received_at == NOW  # neither Received nor a readable Date
    assert_clean(mail)


# --- When it arrived (R3) -------------------------------------------------------------------


def mail_with(*headers: str, body: str = "Tekst") -> bytes:
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()


def test_arrival_is_the_top_most_received_header_in_utc() -> None:
    """R3: the deadlines run from when the mail reached our server, not from its Date."""
    mail = sample("gmail_nl_reply.eml")
    assert mail.received_at == datetime(2026, 11, 3, 10, 2, 10, tzinfo=UTC)
    assert mail.date == datetime(2026, 11, 3, 10, 2, 5, tzinfo=UTC)


def test_without_received_the_server_time_then_the_date_header_counts() -> None:
    raw = mail_with("Date: Mon, 30 Nov 2026 09:00:00 +0100")
    assert parse(raw, now=NOW).received_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    server = datetime(2026, 11, 30, 8, 5, tzinfo=UTC)
    assert parse(raw, now=NOW, server_received_at=server).received_at == server


def test_an_unreadable_received_header_falls_back_to_the_date() -> None:
    raw = mail_with("Received: from x by y; yesterday-ish", "Date: Mon, 30 Nov 2026 09:00:00 +0000")
    mail = parse(raw, now=NOW)
    assert mail.received_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert "unparseable_received" in mail.defects


def test_arrival_is_never_in_the_future() -> None:
    """R3: a sender's clock running ahead cannot move a deadline."""
    ahead = NOW + timedelta(days=3)
    raw = mail_with(f"Date: {ahead.strftime('%a, %d %b %Y %H:%M:%S +0000')}")
    mail = parse(raw, now=NOW)
    assert mail.received_at == NOW
    assert "arrival_in_future" in mail.defects


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse(b"Subject: x\r\n\r\n", now=datetime(2026, 12, 1, 12, 0))


# --- Recipients, attachments, size ----------------------------------------------------------


def test_a_mail_to_200_recipients_lists_them_all() -> None:
    mail = sample("200_recipients.eml")
    assert len(mail.to) == 151
    assert len(mail.cc) == 50
    assert mail.to[1].address == "deelnemer001@example.nl"
    assert mail.cc[9].name == "Collega, 10"  # a comma in a quoted name does not split it
    assert classify(mail) == MailKind.NORMAL


def test_a_30_mb_mail_keeps_its_text_and_leaves_out_the_big_attachment() -> None:
    """#13 item 8: oversize attachments left out with a reason, the text and the rest kept."""
    message = EmailMessage()
    message["From"] = "Grote Bestanden <groot@example.nl>"
    message["To"] = "klachten@kerngroep.nl"
    message["Subject"] = "Filmpje van de les"
    message["Message-ID"] = "<big-1@example.nl>"
    message.set_content("Zie het filmpje van de les.")
    generator = random.Random(13)
    video = generator.randbytes(22 * 1024 * 1024)
    photo = generator.randbytes(200 * 1024)
    message.add_attachment(video, maintype="video", subtype="mp4", filename="les.mp4")
    message.add_attachment(photo, maintype="image", subtype="jpeg", filename="bord.jpg")
    raw = message.as_bytes()
    assert len(raw) > 30 * 1000 * 1000

    mail = parse(raw, now=NOW, max_attachment_size=10 * 1024 * 1024)

    assert mail.text == "Zie het filmpje van de les."
    assert [(a.filename, a.content) for a in mail.attachments] == [("bord.jpg", photo)]
    (skipped,) = mail.skipped
    assert (skipped.filename, skipped.content_type, skipped.reason) == (
        "les.mp4",
        "video/mp4",
        SkipReason.TOO_LARGE,
    )
    assert skipped.size == pytest.approx(len(video), rel=0.05)


def test_attachments_past_the_total_limit_are_left_out() -> None:
    message = EmailMessage()
    message.set_content("Drie scans.")
    for number in (1, 2, 3):
        message.add_attachment(
            bytes([number]) * 400_000, maintype="image", subtype="png", filename=f"scan{number}.png"
        )
    mail = parse(message.as_bytes(), now=NOW, max_total_size=1_000_000)
    assert [a.filename for a in mail.attachments] == ["scan1.png", "scan2.png"]
    assert [(s.filename, s.reason) for s in mail.skipped] == [
        ("scan3.png", SkipReason.TOTAL_TOO_LARGE)
    ]


def test_a_zip_bomb_stays_the_small_file_it_was_sent_as() -> None:
    """#13 item 8: archives are never unpacked."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nullen.bin", bytes(50 * 1024 * 1024))
    bomb = packed.getvalue()
    assert len(bomb) < 100_000
    message = EmailMessage()
    message.set_content("Zie bijlage.")
    message.add_attachment(bomb, maintype="application", subtype="zip", filename="bewijs.zip")

    mail = parse(message.as_bytes(), now=NOW)

    (attachment,) = mail.attachments
    assert attachment.content == bomb
    assert attachment.content_type == "application/zip"


def test_attachment_names_lose_their_directories_and_get_one_when_missing() -> None:
    message = EmailMessage()
    message.set_content("Twee bestanden.")
    message.add_attachment(b"a", maintype="text", subtype="plain", filename="../../etc/passwd")
    message.add_attachment(b"%PDF", maintype="application", subtype="pdf")
    names = [a.filename for a in parse(message.as_bytes(), now=NOW).attachments]
    assert names == ["passwd", "bijlage-2.pdf"]


def test_a_forwarded_mail_is_kept_as_eml_and_read_as_a_mail_of_its_own() -> None:
    mail = sample("forwarded_nested.eml")
    assert mail.text == "Deze kwam bij mij binnen; graag oppakken."
    (eml,) = mail.attachments
    assert (eml.filename, eml.content_type) == ("Klacht over docent.eml", "message/rfc822")
    assert b"data.pdf" in eml.content
    (forwarded,) = mail.forwarded
    assert forwarded.sender == "lotte@example.nl"
    assert forwarded.message_id == "<customer-original-7@example.nl>"
    assert forwarded.text == "De docent kwam drie keer te laat. Zie de bijlage voor de data."
    assert forwarded.attachments == ()  # they travel inside the .eml
    assert mail.enclosed_message_ids == ("<customer-original-7@example.nl>",)


def test_an_inline_forward_keeps_what_it_forwards_as_its_text() -> None:
    body = (
        "Zie hieronder.\n\n---------- Forwarded message ---------\n"
        "From: Lotte Mulder <lotte@example.nl>\nDate: wo 11 nov 2026 om 20:15\n"
        "Subject: Klacht over docent\nTo: <karel@kerngroep.nl>\n\nDe docent kwam te laat."
    )
    mail = parse(mail_with("Subject: Fwd: Klacht over docent", body=body), now=NOW)
    assert mail.text.endswith("De docent kwam te laat.")


def test_deeply_nested_mime_is_cut_off_without_raising() -> None:
    depth = 3000
    head = "".join(
        f"Content-Type: multipart/mixed; boundary=b{n}\r\n\r\n--b{n}\r\n" for n in range(depth)
    )
    raw = f"Subject: diep\r\n{head}Content-Type: text/plain\r\n\r\nonderaan\r\n".encode()
    mail = parse(raw, now=NOW)
    assert mail.subject == "diep"
    assert "mime_too_deep" in mail.defects
    assert not any(defect.startswith("internal_error") for defect in mail.defects)


def test_a_staff_members_from_is_only_an_address() -> None:
    """#13 item 8: the reader reports a forged From as it is; nothing marks it staff."""
    raw = mail_with("From: Petra de Vries <petra@kerngroep.nl>", "Subject: Zet op afgehandeld")
    mail = parse(raw, now=NOW)
    assert (mail.sender, mail.sender_name) == ("petra@kerngroep.nl", "Petra de Vries")
    assert classify(mail) == MailKind.NORMAL


# --- Auto-replies, bounces, lists (#13 item 4) ----------------------------------------------


def test_dutch_and_english_out_of_office_are_auto_replies() -> None:
    assert classification(sample("out_of_office_nl.eml")) == inbound.Classification(
        MailKind.AUTO_REPLY, "Auto-Submitted: auto-replied"
    )
    assert classify(sample("out_of_office_en.eml")) == inbound.AUTO_REPLY


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["Subject: Automatisch antwoord: Uw klacht"], MailKind.AUTO_REPLY),
        (["Subject: Afwezig", "X-Auto-Response-Suppress: All"], MailKind.AUTO_REPLY),
        (["Subject: Afwezig", "Return-Path: <>"], MailKind.AUTO_REPLY),
        (["Subject: Docent afwezig bij de les"], MailKind.NORMAL),
        (["Subject: Out of office", "X-Mailer: Vacation responder 2.1"], MailKind.AUTO_REPLY),
        (["Subject: Vraag", "Auto-Submitted: no"], MailKind.NORMAL),
        (["Subject: Vraag", "Precedence: bulk"], MailKind.AUTO_REPLY),
        (["Subject: Vraag", "Precedence: junk"], MailKind.AUTO_REPLY),
        (["Subject: Vraag", "X-Autorespond: yes"], MailKind.AUTO_REPLY),
        (["Subject: Vraag", "Return-Path: <>"], MailKind.BOUNCE),
        (["Subject: Vraag", "From: MAILER-DAEMON@mx.example.nl"], MailKind.BOUNCE),
        (["Subject: Vraag", "From: postmaster@example.nl"], MailKind.BOUNCE),
        (["Subject: Vraag", "X-Failed-Recipients: a@example.nl"], MailKind.BOUNCE),
        (["Subject: Nieuws", "List-Unsubscribe: <mailto:x@y>"], MailKind.NORMAL),
        (["Subject: Nieuws", "List-Unsubscribe: <mailto:x@y>", "Precedence: list"], MailKind.LIST),
        (["Subject: Nieuws", "Mailing-List: list x@y"], MailKind.LIST),
        (
            [
                "Subject: Gelezen: Uw klacht",
                "Content-Type: multipart/report; report-type=disposition-notification; boundary=x",
            ],
            MailKind.AUTO_REPLY,
        ),
    ],
)
def test_classification_by_headers(headers: list[str], kind: MailKind) -> None:
    """Subject words alone ("afwezig") never make a customer's complaint an auto-reply."""
    if not any(header.startswith("From:") for header in headers):
        headers = ["From: a@example.nl", *headers]
    assert classify(parse(mail_with(*headers), now=NOW)) == kind


def test_a_list_mail_is_list_mail() -> None:
    assert classification(sample("list_mail.eml")).kind == MailKind.LIST


def test_a_dsn_bounce_names_our_mail_the_recipient_and_the_reason() -> None:
    """#13 item 4: the caller marks that outbox message "niet bezorgd"."""
    mail = sample("dsn_bounce.eml")
    assert classify(mail) == MailKind.BOUNCE
    bounce = bounce_of(mail)
    assert bounce.message_ids == ("<kg-message-41@klachten.kerngroep.nl>",)
    (recipient,) = bounce.recipients
    assert recipient.recipient == "a.bakker@example.nl"
    assert (recipient.action, recipient.status) == ("failed", "5.1.1")
    assert bounce.diagnostic == (
        "smtp; 550 5.1.1 <a.bakker@example.nl>: Recipient address rejected: User unknown"
    )
    assert bounce.permanent


def _report(status_block: str, original: str, original_type: str = "message/rfc822") -> bytes:
    return mail_with(
        "From: Microsoft Outlook <postmaster@example.nl>",
        "To: klachten@kerngroep.nl",
        "Subject: Onbestelbaar: Uw klacht KG-2026-00017",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=r",
        body=(
            "--r\r\nContent-Type: text/plain\r\n\r\nDe bezorging is mislukt.\r\n"
            f"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
            f"Reporting-MTA: dns;mx.example.nl\r\n\r\n{status_block}\r\n"
            f"--r\r\nContent-Type: {original_type}\r\n\r\n{original}\r\n--r--"
        ),
    )


def test_an_exchange_bounce_with_the_whole_original_attached() -> None:
    original = (
        "From: klachten@kerngroep.nl\r\nTo: a.bakker@example.nl\r\n"
        "Message-ID: <kg-receipt-17@Klachten.Kerngroep.NL>\r\nSubject: Uw klacht\r\n\r\nTekst"
    )
    status = "Final-Recipient: rfc822;a.bakker@example.nl\r\nAction: failed\r\nStatus: 5.2.2"
    mail = parse(_report(status, original), now=NOW)
    assert classify(mail) == MailKind.BOUNCE
    bounce = bounce_of(mail)
    assert bounce.message_ids == ("<kg-receipt-17@klachten.kerngroep.nl>",)
    assert bounce.diagnostic == "5.2.2"


def test_a_delayed_notice_is_a_bounce_but_not_a_failure() -> None:
    status = "Final-Recipient: rfc822;a@example.nl\r\nAction: delayed\r\nStatus: 4.4.1"
    mail = parse(_report(status, "Message-ID: <k@h>", "text/rfc822-headers"), now=NOW)
    assert classify(mail) == MailKind.BOUNCE
    assert not bounce_of(mail).permanent


def test_a_bounce_without_a_report_names_our_mail_by_its_references() -> None:
    raw = mail_with(
        "From: MAILER-DAEMON@mx.example.nl",
        "Subject: failure notice",
        "In-Reply-To: <kg-message-9@klachten.kerngroep.nl>",
        "X-Failed-Recipients: a@example.nl",
    )
    bounce = bounce_of(parse(raw, now=NOW))
    assert bounce.message_ids == ("<kg-message-9@klachten.kerngroep.nl>",)
    assert [r.recipient for r in bounce.failed_recipients] == ["a@example.nl"]


def test_an_old_style_bounce_names_our_mail_by_the_quoted_message_id() -> None:
    body = "Hi. This is the qmail-send program.\n\n--- Below this line is a copy.\n\n"
    body += "Message-ID: <kg-message-12@klachten.kerngroep.nl>\nSubject: Uw klacht\n"
    raw = mail_with("From: MAILER-DAEMON@mx.example.nl", "Subject: failure notice", body=body)
    assert bounce_of(parse(raw, now=NOW)).message_ids == ("<kg-message-12@klachten.kerngroep.nl>",)


# --- Threading (#13 item 2) -----------------------------------------------------------------


def test_thread_keys_name_in_reply_to_first_then_references_newest_first() -> None:
    keys = thread_keys(sample("gmail_nl_reply.eml"), our_domains=OURS, mailbox_address=MAILBOX)
    assert keys.message_ids == (
        "<kg-message-23@klachten.kerngroep.nl>",
        "<kg-receipt-17@klachten.kerngroep.nl>",
    )
    assert keys.references == ("KG-2026-00023",)
    assert keys.reply_tokens == ("k7q2xv",)


def test_thread_keys_put_our_own_message_ids_first() -> None:
    raw = mail_with(
        "In-Reply-To: <own-earlier@gmail.com>",
        "References: <kg-receipt-3@klachten.kerngroep.nl> <own-earlier@gmail.com>",
        "Subject: Re: re: kg-2026-00003 en KG-2026-00004, niet XKG-2026-00005",
        "Delivered-To: Meldingen+Abc123@Kerngroep.nl",
    )
    mail = parse(raw, now=NOW)
    keys = thread_keys(mail, our_domains=OURS, mailbox_address=MAILBOX)
    assert keys.message_ids == ("<kg-receipt-3@klachten.kerngroep.nl>", "<own-earlier@gmail.com>")
    assert keys.references == ("KG-2026-00003", "KG-2026-00004")
    assert keys.reply_tokens == ("abc123",)
    assert thread_keys(mail).message_ids == (
        "<own-earlier@gmail.com>",
        "<kg-receipt-3@klachten.kerngroep.nl>",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<Abc.123@Host.Example.NL>", "<Abc.123@host.example.nl>"),
        ("  abc@host  ", "<abc@host>"),
        ("<no-at-sign>", ""),
        ("", ""),
        ("<a b@c>", ""),
    ],
)
def test_message_ids_are_normalised(value: str, expected: str) -> None:
    assert normalise_message_id(value) == expected


def test_message_ids_are_found_in_broken_references() -> None:
    assert message_ids_in("<a@x> (comment) <b@y>,<a@x>") == ["<a@x>", "<b@y>"]
    assert message_ids_in("a@x, b@y") == ["<a@x>", "<b@y>"]


# --- Folding the quoted history -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ja, graag.\n\n-----Oorspronkelijk bericht-----\nVan: Klachten\nTekst",
            "Ja, graag.",
        ),
        ("Prima.\n\nOn Mon, Nov 2, 2026 at 4:05 PM Klachten <k@x.nl> wrote:\n> Tekst", "Prima."),
        (
            "Op 3 december 2026 schreef ik u al:\nde map ontbreekt.",
            "Op 3 december 2026 schreef ik u al:\nde map ontbreekt.",
        ),
        (
            "Op ma 2 nov 2026 om 16:05 schreef K <k@x.nl>:\n> Wanneer kunt u?\nDinsdag.\n"
            "> En waar?\nIn Utrecht.",
            "Dinsdag.\nIn Utrecht.",
        ),
        ("> alleen een citaat\n> meer niet", "> alleen een citaat\n> meer niet"),
        ("Tekst\n--\nJan\n06 1234", "Tekst"),
        ("Tekst\n\nVerzonden vanaf mijn Samsung Galaxy", "Tekst"),
    ],
)
def test_fold_quoted(text: str, expected: str) -> None:
    """A customer's own "Op … schreef ik u al:" (no address, no time) stays; answers written
    between quotes stay; a mail that is nothing but a quote is kept whole."""
    assert fold_quoted(text) == expected


# --- Never raises (#13 item 8) --------------------------------------------------------------


def assert_read(mail: InboundMail) -> None:
    assert not any(defect.startswith("internal_error") for defect in mail.defects), mail.defects
    assert_clean(mail)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    assert_read(parse(raw, now=NOW))


HEADER_LINES = st.sampled_from(
    [
        b"Subject: =?utf-8?q?caf=C3=A9?=",
        b"Subject: \xe9\xff\xc3",
        b'From: "Bakker, A" <a@b.nl>, broken <',
        b"From: =?x-bogus?b?!!!?= <@>",
        b"To: undisclosed-recipients:;",
        b"Date: Tue, 31 Feb 2026 25:61:00 +9999",
        b"Received: from x; Mon, 1 Jan 10000 00:00:00 +0000",
        b"Message-ID: <<<>>>",
        b"References: <a@b> <c@d> garbage <e",
        b"Content-Type: multipart/mixed; boundary=",
        b'Content-Type: multipart/alternative; boundary="b"',
        b'Content-Type: text/plain; charset="utf-8"; format=flowed; delsp=yes',
        b"Content-Type: text/html; charset=unknown-8bit",
        b"Content-Type: message/rfc822",
        b"Content-Type: message/delivery-status",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b",
        b"Content-Transfer-Encoding: base64",
        b"Content-Transfer-Encoding: quoted-printable",
        b"Content-Transfer-Encoding: x-uuencode",
        b"Content-Disposition: attachment; filename*=utf-8''%E9%FF.pdf",
        b'Content-Disposition: inline; filename="=?utf-8?q?a=2Fb?="',
        b"--b",
        b"--b--",
        b"",
        b"> quoted",
        b"-- ",
        b"Op ma 2 nov 2026 om 16:05 schreef K <k@x.nl>:",
        b"<html><body><p>hoi</p><blockquote>citaat",
        b"=?utf-8?b?QUJD?==E9=",
        b"\x00\x01\x7f",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HEADER_LINES, max_size=40), st.sampled_from([b"\r\n", b"\n"]))
def test_mime_like_soup_never_raises(lines: list[bytes], newline: bytes) -> None:
    """Lines of real MIME in any order: boundaries without parts, parts without boundaries."""
    assert_read(parse(newline.join(lines), now=NOW))


# Random MIME trees built with the email package, then read back: what was put in comes out.

SAFE_TEXT = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), max_codepoint=0x2FF),
    min_size=1,
    max_size=80,
).filter(lambda text: text.strip() != "")
CHARSETS = st.sampled_from(["utf-8", "iso-8859-1", "windows-1252", "iso-8859-15"])


@st.composite
def text_leaf(draw: st.DrawFn) -> tuple[EmailMessage, list[str], list[bytes]]:
    text = draw(SAFE_TEXT)
    charset = draw(CHARSETS)
    if charset != "utf-8":
        text = text.encode(charset, "replace").decode(charset)
    part = EmailMessage()
    part.set_content(
        text, charset=charset, cte=draw(st.sampled_from(["base64", "quoted-printable"]))
    )
    return part, [text], []


@st.composite
def file_leaf(draw: st.DrawFn) -> tuple[EmailMessage, list[str], list[bytes]]:
    content = draw(st.binary(min_size=1, max_size=300))
    part = EmailMessage()
    part.set_content(content, maintype="application", subtype="octet-stream", filename="f.bin")
    return part, [], [content]


def _container(
    children: list[tuple[EmailMessage, list[str], list[bytes]]], subtype: str
) -> tuple[EmailMessage, list[str], list[bytes]]:
    message = EmailMessage()
    message.make_mixed()
    message.replace_header("Content-Type", f"multipart/{subtype}")
    texts: list[str] = []
    files: list[bytes] = []
    for part, part_texts, part_files in children:
        message.attach(part)
        texts += part_texts
        files += part_files
    return message, texts, files


def _nested(
    inner: tuple[EmailMessage, list[str], list[bytes]],
) -> tuple[EmailMessage, list[str], list[bytes]]:
    """A forwarded mail: its texts and files are the forwarded mail's, not ours."""
    wrapper = EmailMessage()
    inner[0]["Subject"] = "Doorgestuurd"
    wrapper.set_content(inner[0])
    return wrapper, [], []


TREES = st.recursive(
    st.one_of(text_leaf(), file_leaf()),
    lambda children: st.one_of(
        st.builds(_container, st.lists(children, min_size=1, max_size=4), st.just("mixed")),
        st.builds(_nested, children),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TREES, st.integers(min_value=0, max_value=10_000), st.booleans())
def test_random_mime_trees_are_read_back(
    tree: tuple[EmailMessage, list[str], list[bytes]], cut: int, truncate: bool
) -> None:
    """Every text part and every file of a well-formed tree comes back; a truncated one still
    never raises."""
    message, texts, files = tree
    message["From"] = "Klant <klant@example.nl>"
    message["Subject"] = "Klacht"
    raw = message.as_bytes()
    if truncate:
        assert_read(parse(raw[:cut], now=NOW))
        return
    mail = parse(raw, now=NOW)
    assert_read(mail)
    for text in texts:
        assert " ".join(text.split()) in " ".join(mail.full_text.split())
    assert sorted(a.content for a in mail.attachments if a.filename == "f.bin") == sorted(files)
