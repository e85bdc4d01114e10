"""The IMAP transport (#13 items 1 and 9) against a real Dovecot started by the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from klachten.mail.imap import (
    HANDLED_FLAG,
    MailboxClient,
    MailboxConfig,
    MailboxError,
    MailboxUnavailable,
    Security,
    UidValidityChanged,
)
from tests.mail.dovecot import Dovecot, dovecot  # noqa: F401 - the fixture is used here

# --- The mailbox URL (INBOUND_MAIL_URL) -----------------------------------------------------


def test_an_imaps_url_names_server_user_password_and_folder() -> None:
    config = MailboxConfig.from_url("imaps://meldingen%40kerngroep.nl:ge%2Fheim%21@mail.example.nl")
    assert config == MailboxConfig(
        host="mail.example.nl",
        port=993,
        username="meldingen@kerngroep.nl",
        password="ge/heim!",
        security=Security.SSL,
        folder="INBOX",
    )
    assert "ge/heim" not in repr(config)
    assert config.display == "imaps://meldingen%40kerngroep.nl@mail.example.nl:993/INBOX"


def test_starttls_plain_ports_folders_and_the_processed_folder() -> None:
    starttls = MailboxConfig.from_url("imap+starttls://u:p@mail.example.nl/INBOX/Klachten")
    assert (starttls.security, starttls.port, starttls.folder) == (
        Security.STARTTLS,
        143,
        "INBOX/Klachten",
    )
    plain = MailboxConfig.from_url("IMAP://u:p@127.0.0.1:1143/Post%20in?processed=Verwerkt")
    assert (plain.security, plain.port, plain.folder, plain.processed_folder) == (
        Security.PLAIN,
        1143,
        "Post in",
        "Verwerkt",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("pop3://u:p@host", "starts with imaps://"),
        ("imaps://host/INBOX", "needs a user and a password"),
        ("imaps://u:p@/INBOX", "names no server"),
        ("imaps://u:p@host:99999", "not a mailbox URL"),
        ("imaps://u:p@host/INBOX?move=X", "unknown mailbox URL option: move"),
        ("imaps://u:p@host/INBOX?processed=INBOX", "cannot be the folder"),
    ],
)
def test_a_url_that_cannot_work_is_refused_without_showing_the_password(
    url: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message) as refused:
        MailboxConfig.from_url(url)
    assert ":p@" not in str(refused.value)


# --- Against Dovecot ------------------------------------------------------------------------


def mail(number: int) -> bytes:
    return (
        f"From: Klant {number} <klant{number}@example.nl>\r\nTo: klachten@kerngroep.nl\r\n"
        f"Subject: Klacht {number}\r\nMessage-ID: <klacht-{number}@example.nl>\r\n\r\n"
        f"Tekst van klacht {number}.\r\n"
    ).encode()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Iterator[MailboxClient]:  # noqa: F811 - the imported fixture
    with MailboxClient(MailboxConfig.from_url(dovecot.url())) as client:
        yield client


def test_fetch_three_mark_one_and_two_remain(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    uids = [dovecot.append(mail(number)) for number in (1, 2, 3)]

    pending = mailbox.pending_uids()
    assert pending.uids == tuple(uids)
    fetched = [mailbox.fetch(uid, uidvalidity=pending.uidvalidity) for uid in pending.uids]
    assert [message.raw if message else None for message in fetched] == [
        mail(number) for number in (1, 2, 3)
    ]
    assert all(message and "\\Seen" not in message.flags for message in fetched)  # PEEK
    assert fetched[0]
    assert fetched[0].internal_date
    assert fetched[0].internal_date.tzinfo

    mailbox.mark_handled(uids[0], uidvalidity=pending.uidvalidity)
    mailbox.mark_handled(uids[0], uidvalidity=pending.uidvalidity)  # twice is harmless

    assert mailbox.pending_uids().uids == tuple(uids[1:])
    with dovecot.client() as other:  # what a person sees in their mail program
        other.select_folder("INBOX")
        flags = other.get_flags(uids)
    assert set(flags[uids[0]]) >= {b"\\Seen", HANDLED_FLAG.encode()}
    assert b"\\Seen" not in flags[uids[1]]


def test_uidvalidity_is_stable_across_connections_and_restarts(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    dovecot.append(mail(1))
    first = mailbox.uidvalidity
    with MailboxClient(MailboxConfig.from_url(dovecot.url())) as other:
        assert other.uidvalidity == first
    dovecot.restart()
    assert mailbox.pending_uids().uidvalidity == first


def test_after_uid_lists_only_newer_mail_even_when_someone_read_it(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    """The ``n:*`` trap: the highest UID is not listed again when nothing is newer."""
    first, second = dovecot.append(mail(1)), dovecot.append(mail(2), flags=("\\Seen",))
    assert mailbox.pending_uids(after_uid=first).uids == (second,)
    assert mailbox.pending_uids(after_uid=second).uids == ()


def test_handled_mail_moves_to_the_processed_folder(dovecot: Dovecot) -> None:  # noqa: F811
    uid = dovecot.append(mail(1))
    config = MailboxConfig.from_url(dovecot.url(query="processed=Verwerkt"))
    with MailboxClient(config) as mailbox:
        pending = mailbox.pending_uids()
        mailbox.mark_handled(uid, uidvalidity=pending.uidvalidity)
        assert mailbox.pending_uids().uids == ()
        mailbox.mark_handled(uid, uidvalidity=pending.uidvalidity)  # gone already: harmless
    with dovecot.client() as other:
        other.select_folder("Verwerkt")
        moved = other.fetch(other.search("ALL"), ["FLAGS", "BODY.PEEK[]"])
    ((flags_and_body),) = moved.values()
    assert flags_and_body[b"BODY[]"] == mail(1)
    assert HANDLED_FLAG.encode() in flags_and_body[b"FLAGS"]


def test_a_message_removed_meanwhile_fetches_as_none(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    uid = dovecot.append(mail(1))
    validity = mailbox.uidvalidity
    with dovecot.client() as other:
        other.select_folder("INBOX")
        other.delete_messages([uid])
        other.expunge()
    assert mailbox.fetch(uid, uidvalidity=validity) is None


def test_a_recreated_folder_is_refused_rather_than_flag_another_message(
    dovecot: Dovecot,  # noqa: F811
) -> None:
    with dovecot.client() as admin:
        admin.create_folder("Klachten")
    dovecot.append(mail(1), folder="Klachten")
    with MailboxClient(MailboxConfig.from_url(dovecot.url("Klachten"))) as mailbox:
        old = mailbox.pending_uids()
        mailbox.close()
        with dovecot.client() as admin:
            admin.delete_folder("Klachten")
            admin.create_folder("Klachten")
        dovecot.append(mail(2), folder="Klachten")
        with pytest.raises(UidValidityChanged):
            mailbox.mark_handled(old.uids[0], uidvalidity=old.uidvalidity)
        with pytest.raises(UidValidityChanged):
            mailbox.fetch(old.uids[0], uidvalidity=old.uidvalidity)
        assert mailbox.pending_uids().uidvalidity != old.uidvalidity


def test_the_client_reconnects_after_the_server_restarted(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    first = dovecot.append(mail(1))
    assert mailbox.pending_uids().uids == (first,)
    dovecot.restart()
    second = dovecot.append(mail(2))
    pending = mailbox.pending_uids()  # the old connection is dead: reconnects by itself
    assert pending.uids == (first, second)
    fetched = mailbox.fetch(second, uidvalidity=pending.uidvalidity)
    assert fetched
    assert fetched.raw == mail(2)


def test_a_stopped_server_is_reported_unavailable(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    mailbox.pending_uids()
    dovecot.stop()
    with pytest.raises(MailboxUnavailable):
        mailbox.pending_uids()
    started = time.monotonic()
    assert mailbox.idle_or_wait(0.2) is True  # waits, never raises: the caller looks again
    assert time.monotonic() - started < 300  # it does not hang (a limit, not a race)


def test_a_wrong_password_is_an_error_without_the_password(dovecot: Dovecot) -> None:  # noqa: F811
    url = dovecot.url().replace("imap%202026", "fout")
    with pytest.raises(MailboxError, match="refused the login") as refused:
        MailboxClient(MailboxConfig.from_url(url)).connect()
    assert "fout" not in str(refused.value)


def test_idle_wakes_when_a_message_is_appended_from_another_connection(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    assert mailbox.pending_uids().uids == ()
    delivery = threading.Timer(0.5, dovecot.append, args=(mail(1),))
    delivery.start()
    started = time.monotonic()
    try:
        woken = mailbox.idle_or_wait(900)
    finally:
        delivery.join()
    assert woken is True
    # Woken by the server, not by the 900 s timeout, however busy the machine is.
    assert time.monotonic() - started < 600
    assert len(mailbox.pending_uids().uids) == 1


def test_idle_returns_false_when_nothing_arrives(mailbox: MailboxClient) -> None:
    started = time.monotonic()
    assert mailbox.idle_or_wait(1.0) is False
    assert 0.9 <= time.monotonic() - started < 300
    assert mailbox.pending_uids().uids == ()  # the connection is usable after IDLE


def test_mail_that_arrived_before_idle_wakes_it_at_once(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    """Between listing and IDLE a message may arrive; it must not wait for the next one."""
    assert mailbox.pending_uids().uids == ()
    dovecot.append(mail(1))
    started = time.monotonic()
    assert mailbox.idle_or_wait(900) is True
    assert time.monotonic() - started < 600  # at once, not after the 900 s timeout


def test_idle_survives_a_server_restart(
    dovecot: Dovecot,  # noqa: F811
    mailbox: MailboxClient,
) -> None:
    mailbox.pending_uids()
    restart = threading.Timer(0.5, dovecot.restart)
    restart.start()
    try:
        assert mailbox.idle_or_wait(30) is True  # connection lost: look again
    finally:
        restart.join()
    uid = dovecot.append(mail(1))
    assert mailbox.pending_uids().uids == (uid,)
