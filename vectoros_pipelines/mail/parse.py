"""RFC 822 bytes → ParsedEmail.

Real mailboxes are full of damage: bogus charset names, 8-bit bytes in headers,
dates no RFC describes, addresses with stray brackets. Only input that is not mail
at all raises (MailParseError); every other defect degrades one field (a None date,
a replacement character, a recorded charset warning) and the message still loads.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hashlib
import re
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime

from vectoros_pipelines.mail.html_text import html_to_text
from vectoros_pipelines.mail.message import Attachment, ParsedEmail, Participant
from vectoros_pipelines.mail.subjects import normalize_subject


class MailParseError(ValueError):
    """The bytes are not an email message at all (empty, binary, no header block)."""


# Headers kept verbatim (decoded, one line) for downstream classifiers: bulk-mail and
# auto-reply detection, mailbox folder, client. Keys use these canonical spellings.
KEPT_HEADERS = (
    "List-Id",
    "List-Unsubscribe",
    "List-Post",
    "Precedence",
    "Auto-Submitted",
    "X-Auto-Response-Suppress",
    "X-Autoreply",
    "X-Autorespond",
    "X-Mailer",
    "User-Agent",
    "X-Folder",
    "X-Origin",
    "Return-Path",
    "Sender",
    "Content-Language",
    "Importance",
    "X-Priority",
    "Organization",
    "Thread-Topic",
    "Thread-Index",
    "Feedback-ID",
    "X-Spam-Flag",
)
_KEPT_BY_LOWER = {name.lower(): name for name in KEPT_HEADERS}
_MAX_HEADER_CHARS = 2_000

# A message must carry at least one of these to count as mail; it rejects CSVs,
# logs and other text that happens to start with "Something: value".
_MAIL_HEADERS = frozenset(
    [
        "from",
        "to",
        "cc",
        "date",
        "subject",
        "message-id",
        "received",
        "return-path",
        "sender",
        "reply-to",
        "mime-version",
        "content-type",
        "delivered-to",
        "in-reply-to",
        "references",
        "x-from",
        "x-to",
    ]
)
_ADDRESS_ROLES = (("from", "from"), ("to", "to"), ("cc", "cc"), ("bcc", "bcc"), ("reply-to", "reply_to"))

_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")
_MBOX_FROM_LINE = re.compile(rb"^From [^\r\n]*\r?\n")
_MSG_ID = re.compile(r"<([^<>\s]+)>")
_BARE_ID = re.compile(r"[^\s<>,;\"]+@[^\s<>,;\"]+")
_WHITESPACE = re.compile(r"\s+")
_SURROGATES = re.compile(r"[\udc80-\udcff]+")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_DATE_FIELD = re.compile(rb"^date[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.I | re.M)
_RECEIVED_FIELD = re.compile(rb"^received[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.I | re.M)

# Labels that are wrong in a predictable way: the superset the sender really used.
# (Outlook labels windows-1252 text as iso-8859-1; Japanese mailers put NEC/IBM
# extensions into "iso-2022-jp"; GB2312 mail routinely holds GBK characters.)
_SUPERSET = {
    "ascii": "cp1252",
    "latin_1": "cp1252",
    "iso2022_jp": "iso2022_jp_ext",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}
_CHARSET_ALIASES = {
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "x-euc-jp": "euc_jp",
    "windows-874": "cp874",
    "x-mac-roman": "mac_roman",
    "ansi_x3.4-1968": "ascii",
    "iso-8859-8-i": "iso8859_8",
}


def parse_email(raw: bytes, *, max_body_chars: int = 200_000) -> ParsedEmail:
    """Parse one RFC 822 message; raises MailParseError only when `raw` is not mail."""
    _require_mail(raw)
    msg = BytesParser(policy=_POLICY).parsebytes(_strip_mbox_from_line(raw))
    headers = _collect_headers(msg)
    if _MAIL_HEADERS.isdisjoint(headers):
        raise MailParseError("no mail headers (From, Date, Subject, Message-ID…) found")

    warnings: list[str] = []
    message_id = _first_id(_first(headers, "message-id"))
    subject = _first(headers, "subject")
    participants = _participants(headers)
    from_ = next((p for p in participants if p.role == "from"), None)
    body, attachments = _body_and_attachments(msg, warnings)
    truncated = len(body) > max_body_chars
    if truncated:
        body = body[:max_body_chars]

    return ParsedEmail(
        message_key=message_id or f"sha256:{hashlib.sha256(raw).hexdigest()}",
        message_id=message_id,
        subject=subject,
        normalized_subject=normalize_subject(subject),
        sent_at=_sent_at(headers),
        from_=from_,
        participants=participants,
        in_reply_to=_first_id(_first(headers, "in-reply-to")),
        references=_all_ids(_first(headers, "references")),
        body_text=body,
        body_truncated=truncated,
        size_bytes=len(raw),
        attachments=attachments,
        headers=_kept_headers(headers),
        charset_warnings=warnings,
    )


def quick_sent_at(raw: bytes) -> datetime | None:
    """The send time from the header block only: cheap enough to bucket a mailbox by month."""
    match = _HEADER_END.search(raw)
    head = raw[: match.start()] if match else raw
    date = _DATE_FIELD.search(head)
    if date:
        parsed = parse_mail_date(_raw_header_text(date.group(1)))
        if parsed is not None:
            return parsed
    received = _RECEIVED_FIELD.search(head)
    if received:
        return parse_mail_date(_raw_header_text(received.group(1)).rpartition(";")[2])
    return None


def parse_mail_date(value: str | None) -> datetime | None:
    """An RFC 5322 date as aware UTC; dates without a zone are taken as UTC, junk is None."""
    if not value or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 or 9999 pushed over the edge by the offset
        return None


# --- input checks -----------------------------------------------------------------


def _require_mail(raw: bytes) -> None:
    if not raw or not raw.strip():
        raise MailParseError("empty message")
    body = _strip_mbox_from_line(raw).lstrip(b"\r\n")
    if not _HEADER_LINE.match(body):
        first = body[:40].decode("ascii", "backslashreplace")
        raise MailParseError(f"does not start with a mail header (starts with {first!r})")
    match = _HEADER_END.search(body)
    head = body[: match.start()] if match else body[:65536]
    if b"\x00" in head:
        raise MailParseError("binary data (NUL bytes) in the header block")


def _strip_mbox_from_line(raw: bytes) -> bytes:
    """Files saved from an mbox often keep their "From sender date" envelope line."""
    if raw.startswith(b"From "):
        match = _MBOX_FROM_LINE.match(raw)
        if match:
            return raw[match.end() :]
    return raw


# --- headers ----------------------------------------------------------------------
#
# policy.default builds a structured header object on *every* access, and its address
# parser costs ~1 ms for a long Enron To: list — more than the rest of the parse put
# together. So headers are read once from raw_items(): plain-ASCII values are used as
# they are, RFC 2047 words go through the policy's own decoder, and address lists go
# through the lenient email.utils parser with display names decoded separately.


class _CachingPolicy(EmailPolicy):
    """policy.default whose structured headers are memoised by (name, raw value).

    The MIME walk asks for Content-Type/Disposition of each part several times and the
    same values recur across a whole mailbox; header objects are immutable, so reusing
    them is safe and removes most of the remaining header cost.
    """

    def header_fetch_parse(self, name, value):  # type: ignore[no-untyped-def]
        if hasattr(value, "name"):
            return value
        return _cached_header(name, "".join(value.splitlines()))


@functools.lru_cache(maxsize=4096)
def _cached_header(name: str, value: str):  # type: ignore[no-untyped-def]
    return policy.default.header_factory(name, value)


_POLICY = _CachingPolicy()


def _collect_headers(msg: Message) -> dict[str, list[str]]:
    """Raw header values by lower-case name, in message order."""
    found: dict[str, list[str]] = {}
    for key, value in msg.raw_items():
        found.setdefault(key.lower(), []).append(str(value))
    return found


def _decode_header(name: str, raw: str) -> str:
    """A header's display text: RFC 2047 words decoded, 8-bit bytes rescued, one line."""
    if "=?" in raw:
        try:
            raw = str(policy.default.header_factory(name, _unfold(raw)))
        except Exception:  # noqa: BLE001 - the policy's parser has known crash bugs on junk
            # keep the undecoded text rather than nothing
            with contextlib.suppress(Exception):
                raw = str(make_header(decode_header(raw)))
    return _clean(raw)


def _unfold(raw: str) -> str:
    return "".join(raw.splitlines())


def _clean(text: str) -> str:
    """One tidy line; undecodable 8-bit header bytes (kept as surrogates) become text."""
    if _SURROGATES.search(text):
        text = _SURROGATES.sub(lambda m: _decode_8bit(m.group(0).encode("utf-8", "surrogateescape")), text)
    return _WHITESPACE.sub(" ", text).strip()


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _raw_header_text(value: bytes) -> str:
    return _WHITESPACE.sub(" ", value.decode("ascii", "surrogateescape")).strip()


def _first(headers: dict[str, list[str]], name: str) -> str:
    values = headers.get(name)
    return _decode_header(name, values[0]) if values else ""


def _first_id(value: str) -> str | None:
    ids = _all_ids(value)
    return ids[0] if ids else None


def _all_ids(value: str) -> list[str]:
    """Message ids without angle brackets, in order, each once."""
    if not value:
        return []
    ids = _MSG_ID.findall(value) or _BARE_ID.findall(value)
    return list(dict.fromkeys(ids))


def _participants(headers: dict[str, list[str]]) -> list[Participant]:
    people: list[Participant] = []
    for header, role in _ADDRESS_ROLES:
        values = headers.get(header)
        if not values:
            continue
        seen: set[str] = set()
        for name, address in _addresses(values):
            email = _clean(address).strip("<>'\"").lower()
            if email.startswith("mailto:"):
                email = email[7:]
            if "@" not in email or " " in email or email in seen:
                continue
            seen.add(email)
            display = _decode_header("subject", name).strip("'\" ") if name else ""
            people.append(Participant(email=email, name=display or None, role=role))
    return people


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, address) pairs; encoded words are left for the caller to decode."""
    try:
        return getaddresses([_unfold(v) for v in values])
    except Exception:  # noqa: BLE001 - nothing usable in this header
        return []


def _sent_at(headers: dict[str, list[str]]) -> datetime | None:
    dates = headers.get("date")
    parsed = parse_mail_date(_clean(dates[0])) if dates else None
    if parsed is not None:
        return parsed
    # The topmost Received line is stamped by the receiving server: a fair stand-in.
    received = headers.get("received")
    return parse_mail_date(_clean(received[0]).rpartition(";")[2]) if received else None


def _kept_headers(headers: dict[str, list[str]]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for lower, canonical in _KEPT_BY_LOWER.items():
        text = _first(headers, lower)
        if text:
            kept[canonical] = text[:_MAX_HEADER_CHARS]
    return kept


# --- body ---------------------------------------------------------------------------


def _body_and_attachments(msg: Message, warnings: list[str]) -> tuple[str, list[Attachment]]:
    body_part: Message | None
    try:
        # BytesParser with an EmailPolicy always builds EmailMessage objects
        body_part = msg.get_body(preferencelist=("plain", "html")) if isinstance(msg, EmailMessage) else None
    except Exception:  # noqa: BLE001 - a broken MIME tree still has attachments to list
        body_part = None
    if body_part is None and not msg.is_multipart() and msg.get_content_maintype() == "text":
        body_part = msg  # e.g. text/enriched or a text part mislabelled as an attachment

    text = ""
    if body_part is not None:
        text = _part_text(body_part, warnings)
        if body_part.get_content_subtype() == "html":
            text = html_to_text(text)
    return _tidy_body(text), _attachments(msg, body_part)


def _tidy_body(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _attachments(msg: Message, body_part: Message | None) -> list[Attachment]:
    found: list[Attachment] = []
    for part in msg.walk():
        if part is body_part or part.is_multipart():
            continue
        filename = _safe_filename(part)
        try:
            disposition = (part.get_content_disposition() or "").lower()
        except Exception:  # noqa: BLE001 - an unparseable disposition says nothing either way
            disposition = ""
        maintype = part.get_content_maintype()
        # Alternative text/html renderings of the body are not attachments; any named
        # part, anything marked attachment, and every non-text part (images, PDFs) is.
        if filename is None and disposition != "attachment" and maintype in ("text", "multipart"):
            continue
        found.append(
            Attachment(
                filename=filename, content_type=part.get_content_type(), size_bytes=_payload_size(part)
            )
        )
    return found


def _safe_filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - malformed RFC 2231 parameters
        name = None
    return _clean(name) or None if name else None


def _payload_size(part: Message) -> int:
    if part.get_content_maintype() == "message":
        payload = part.get_payload()
        if isinstance(payload, list):
            return sum(len(p.as_bytes()) for p in payload if isinstance(p, Message))
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - undecodable transfer encoding: size unknown
        return 0
    return len(data) if isinstance(data, bytes) else 0


def _part_text(part: Message, warnings: list[str]) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - undecodable payload yields no text, not a crash
        warnings.append("body: undecodable transfer encoding")
        return ""
    if not isinstance(data, bytes):
        return ""
    return decode_text(data, part.get_content_charset(), warnings)


def decode_text(data: bytes, declared: str | None, warnings: list[str]) -> str:
    """Bytes → str under a possibly wrong or unknown charset label; never raises.

    Warnings are recorded only when text may be wrong (unknown label, bytes invalid
    for every candidate), not for routine mislabels that decode cleanly.
    """
    label = (declared or "").strip().strip("'\"").lower()
    label = _CHARSET_ALIASES.get(label, label)
    codec = _codec_name(label) if label else "ascii"
    if codec is None:
        warnings.append(f"unknown charset {declared!r}: decoded as utf-8/windows-1252")
        return _decode_8bit_text(data)

    # utf-8 first when the label is ASCII-ish: 8-bit text under a us-ascii label is
    # almost always utf-8 or windows-1252.
    candidates = [codec]
    if codec == "ascii":
        candidates = ["ascii", "utf_8"]
    elif codec == "latin_1":
        # latin-1 accepts any byte, so the superset must be tried first: mailers label
        # windows-1252 text (€, curly quotes) as iso-8859-1 all the time (WHATWG does the same).
        candidates = ["cp1252", "latin_1"]
    if codec in _SUPERSET and _SUPERSET[codec] not in candidates:
        candidates.append(_SUPERSET[codec])
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    if codec == "ascii":
        return data.decode("cp1252", "replace")
    warnings.append(f"bytes invalid for charset {declared!r}: undecodable characters replaced")
    return data.decode(candidates[-1], "replace")


def _decode_8bit_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _codec_name(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
        b"".decode(name)  # rejects bytes-to-bytes codecs such as "base64" or "zlib"
    except (LookupError, ValueError):
        return None
    # Python spells a few canonical names differently from its own aliases.
    return {"iso8859-1": "latin_1", "us-ascii": "ascii", "utf-8": "utf_8"}.get(name, name.replace("-", "_"))
