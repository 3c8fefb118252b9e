from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.mail.conftest import MAIL_FIXTURES
from vectoros_pipelines.mail.message import Participant
from vectoros_pipelines.mail.parse import MailParseError, parse_email, parse_mail_date, quick_sent_at


def _fixture(name: str) -> bytes:
    return (MAIL_FIXTURES / name).read_bytes()


def test_html_only_mail_gives_visible_text_without_injected_hidden_text() -> None:
    email = parse_email(_fixture("html_only_hidden.eml"))
    assert "Our quote for 40 seats is €12,000 per year." in email.body_text
    assert "Best regards,\nDana" in email.body_text
    for hidden in ("Ignore previous instructions", "9,999,999", "PREHEADER", "hidden attribute", "aria hidden",
                   "transparent", "invisible", "track()", "Quote\n"):
        assert hidden not in email.body_text
    assert email.attachments == []


def test_thread_keys_participants_and_date() -> None:
    email = parse_email(_fixture("html_only_hidden.eml"))
    assert email.message_id == email.message_key == "quote-40-seats@example.com"
    assert email.subject == "Re: [Deals] FW: Quote for 40 seats"
    assert email.normalized_subject == "quote for 40 seats"
    assert email.sent_at == datetime(2025, 3, 4, 15, 20, tzinfo=UTC)
    assert email.from_ == Participant(email="dana.seller@example.com", name="Dana Seller", role="from")


def test_attachment_is_recorded_not_stored_and_plain_text_is_preferred() -> None:
    raw = _fixture("with_attachment.eml")
    email = parse_email(raw)
    assert email.body_text == "Please find the signed order form attached."
    assert [(a.filename, a.content_type) for a in email.attachments] == [("order form.pdf", "application/pdf")]
    assert email.attachments[0].size_bytes == 78  # decoded bytes, not base64 text
    assert email.size_bytes == len(raw)
    assert email.in_reply_to == "question-9@customer.test"
    assert email.references == ["start-1@customer.test", "question-9@customer.test"]
    assert email.thread_root == "start-1@customer.test"


def test_participants_are_lower_cased_and_deduplicated_per_role() -> None:
    email = parse_email(_fixture("with_attachment.eml"))
    assert [(p.role, p.email, p.name) for p in email.participants] == [
        ("from", "priya@vendor.example", "Priya Patel"),
        ("to", "ops@customer.test", "Ops Team"),
        ("cc", "lee@customer.test", "Lee"),
        ("reply_to", "sales@vendor.example", None),
    ]


def test_unknown_charset_falls_back_and_is_recorded() -> None:
    email = parse_email(_fixture("unknown_charset.eml"))
    assert email.body_text == "Schöne Grüße, das Angebot für Q3 folgt."
    assert any("x-bogus-8859" in w for w in email.charset_warnings)
    assert "Angebot" in email.subject


def test_message_without_message_id_is_keyed_by_a_stable_content_hash() -> None:
    raw = _fixture("no_message_id.eml")
    first, second = parse_email(raw), parse_email(raw)
    assert first.message_id is None
    assert first.message_key == second.message_key
    assert first.message_key.startswith("sha256:") and len(first.message_key) == len("sha256:") + 64
    assert parse_email(raw + b"changed\n").message_key != first.message_key
    # A date without a zone is taken as UTC.
    assert first.sent_at == datetime(2025, 3, 7, 8, 0, tzinfo=UTC)


def test_huge_message_body_is_truncated_and_says_so() -> None:
    raw = b"From: a@example.com\nSubject: big\nMessage-ID: <big@example.com>\n\n" + b"lorem ipsum " * 50_000
    email = parse_email(raw, max_body_chars=1_000)
    assert email.body_truncated is True
    assert len(email.body_text) == 1_000
    assert email.size_bytes == len(raw)
    assert parse_email(raw, max_body_chars=1_000_000).body_truncated is False


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"\n\n  \r\n", "empty"),
        (b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj", "does not start with a mail header"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "does not start with a mail header"),
        (b"file,Message-ID,Date\nx.eml,<a@b>,2025\n", "does not start with a mail header"),
        (b"Foo: bar\nBaz: qux\n\nbody", "no mail headers"),
        (b"Subject: x\x00\x00\x00\n\nbody", "binary data"),
    ],
)
def test_bytes_that_are_not_mail_raise_a_clear_error(raw: bytes, reason: str) -> None:
    with pytest.raises(MailParseError, match=reason):
        parse_email(raw)


def test_malformed_headers_never_crash() -> None:
    raw = (
        b"From: \"Broken <<quote@@example.com\nTo: ,,, undisclosed-recipients:;, <ok@Example.com>\n"
        b"Cc: =?utf-8?B?notbase64!!?= <cc@example.com>\nDate: Thursday the 32nd of Smarch\n"
        b"Subject: caf\xe9 8-bit header\nMessage-ID: no brackets here\nReferences: <a@x> junk <b@x>\n"
        b"Content-Type: text/plain; charset=\"utf-8\nContent-Transfer-Encoding: base64\n\n!!!not base64"
    )
    email = parse_email(raw)
    assert email.sent_at is None
    assert email.subject == "café 8-bit header"
    assert ("to", "ok@example.com") in [(p.role, p.email) for p in email.participants]
    assert email.references == ["a@x", "b@x"]
    assert email.message_key.startswith("sha256:")


def test_missing_date_falls_back_to_the_topmost_received_stamp() -> None:
    raw = (
        b"Received: from mx.example.com by inbox.example.org; Fri, 14 Mar 2025 10:00:00 +0200\n"
        b"Received: from laptop by mx.example.com; Fri, 14 Mar 2025 09:59:00 +0200\n"
        b"From: a@example.com\nSubject: no date\n\nbody\n"
    )
    assert parse_email(raw).sent_at == datetime(2025, 3, 14, 8, 0, tzinfo=UTC)
    assert quick_sent_at(raw) == datetime(2025, 3, 14, 8, 0, tzinfo=UTC)


def test_quick_sent_at_reads_only_the_header_block() -> None:
    raw = b"From: a@example.com\r\nDate: Mon,\r\n 10 Mar 2025 09:00:00 -0500\r\n\r\nDate: Tue, 1 Jan 2030 00:00:00 +0000\r\n"
    assert quick_sent_at(raw) == datetime(2025, 3, 10, 14, 0, tzinfo=UTC)
    assert quick_sent_at(b"From: a@example.com\n\nDate: Tue, 1 Jan 2030 00:00:00 +0000\n") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, 14 May 2001 16:39:00 -0700 (PDT)", datetime(2001, 5, 14, 23, 39, tzinfo=UTC)),
        ("14 May 2001 16:39:00", datetime(2001, 5, 14, 16, 39, tzinfo=UTC)),
        ("not a date", None),
        ("", None),
    ],
)
def test_dates_become_aware_utc(value: str, expected: datetime | None) -> None:
    assert parse_mail_date(value) == expected


def test_selected_headers_are_kept_for_bulk_mail_detection() -> None:
    raw = (
        b"From: news@vendor.example\nTo: me@example.org\nSubject: Newsletter\nList-Id: <news.vendor.example>\n"
        b"List-Unsubscribe: <mailto:leave@vendor.example>\nPrecedence: bulk\nAuto-Submitted: auto-generated\n"
        b"X-Mailer: Mailchimp\nX-Secret: not kept\n\nhello\n"
    )
    headers = parse_email(raw).headers
    assert headers == {
        "List-Id": "<news.vendor.example>",
        "List-Unsubscribe": "<mailto:leave@vendor.example>",
        "Precedence": "bulk",
        "Auto-Submitted": "auto-generated",
        "X-Mailer": "Mailchimp",
    }


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("iso-2022-jp", "お世話になっております。見積書を送付します。"),
        ("iso-8859-1", "Größe: 10 €"),  # € is not latin-1: the sender's mailer really wrote windows-1252
        ("windows-1252", "“Quoted” – dash"),
        ("shift_jis", "納期について"),
        ("koi8-r", "Добрый день"),
    ],
)
def test_body_charsets_decode_to_readable_text(charset: str, text: str) -> None:
    encoding = "cp1252" if charset == "iso-8859-1" else charset
    raw = (
        f"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset={charset}\n"
        "Content-Transfer-Encoding: 8bit\n\n"
    ).encode() + text.encode(encoding)
    email = parse_email(raw)
    assert email.body_text == text
    assert email.charset_warnings == []
