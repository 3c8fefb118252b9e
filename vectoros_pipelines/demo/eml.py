"""Renders a `Mail` as the RFC 822 bytes a mail client would export.

Boundaries are derived from the Message-ID because the `email` package would
otherwise draw them at random, and a seeded scenario must be byte-identical.
"""

from __future__ import annotations

import hashlib
import html
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from zoneinfo import ZoneInfo

from vectoros_pipelines.demo.clients import client_headers, forward_header, reply_header, strip_prefixes
from vectoros_pipelines.demo.model import Mail, Person

_QUOTE_DEPTH = 4  # clients quote the whole thread; a few levels are enough to look real


def full_text(mail: Mail, depth: int = 0) -> str:
    """The body as the reader sees it: new text, then the quoted thread or forwarded message."""
    text = mail.body
    if mail.forwarded is not None:
        fwd = mail.forwarded
        header = forward_header(
            mail.sender.client,
            mail.language,
            fwd.sender,
            fwd.sent.astimezone(mail.sent.tzinfo),
            fwd.to,
            fwd.subject,
        )
        text += "\n\n" + header + "\n\n" + full_text(fwd, depth + 1)
    elif mail.parent is not None and depth < _QUOTE_DEPTH:
        parent = mail.parent
        header, prefixed = reply_header(
            mail.sender.client,
            mail.language,
            parent.sender,
            mail.sent,
            parent.sent,
            parent.to,
            parent.subject,
        )
        quoted = full_text(parent, depth + 1)
        if prefixed:
            quoted = "\n".join(">" if not line else f"> {line}" for line in quoted.splitlines())
            text += f"\n\n{header}\n\n{quoted}"
        else:
            text += f"\n\n{header}\n\n{quoted}"
    return text


def _as_html(text: str) -> str:
    """Paragraphs and '>' quotes become <p> and <blockquote>, as webmail would send them."""
    parts: list[str] = []
    quote: list[str] = []
    for block in text.split("\n\n"):
        lines = block.splitlines()
        if lines and all(line.startswith(">") for line in lines):
            quote.append("<br>".join(html.escape(line.lstrip("> ")) for line in lines))
            continue
        if quote:
            parts.append("<blockquote>" + "</p><p>".join(quote) + "</blockquote>")
            quote = []
        parts.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    if quote:
        parts.append("<blockquote>" + "</p><p>".join(quote) + "</blockquote>")
    return (
        '<html><head><meta charset="utf-8"></head><body><div dir="ltr">'
        + "".join(parts)
        + "</div></body></html>"
    )


def _boundary(mail: Mail, index: int) -> str:
    digest = hashlib.sha1(f"{mail.message_id}/{index}".encode()).hexdigest()
    if mail.sender.client == "outlook":
        return f"_00{index}_{digest[:28].upper()}_"
    if mail.sender.client == "apple":
        return (
            f"Apple-Mail={digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}".upper()
        )
    return f"000000000000{digest[:16]}"


def _header_line(name: str, value: str) -> str:
    if not value.isascii():
        value = Header(value, "utf-8", header_name=name).encode()
    return f"{name}: {value}"


def _addresses(people: list[Person]) -> str:
    return ",\n ".join(formataddr((p.name, p.email), charset="utf-8") for p in people)


def render_mail(mail: Mail) -> bytes:
    """Headers are written with email.utils/email.header and the MIME body with EmailMessage.

    Setting headers on an EmailMessage parses and refolds each one (about 0.3 ms a header),
    which made generating a training corpus of many seeds slow; the result is the same RFC 5322.
    """
    sent = mail.sent.astimezone(ZoneInfo("UTC")) if mail.sender.client == "outlook" else mail.sent
    lines = [
        f"Message-ID: <{mail.message_id}>",
        f"Date: {format_datetime(sent)}",
        f"From: {formataddr((mail.sender.name, mail.sender.email), charset='utf-8')}",
        f"To: {_addresses(mail.to)}",
    ]
    if mail.cc:
        lines.append(f"Cc: {_addresses(mail.cc)}")
    lines.append(_header_line("Subject", mail.subject))
    if mail.parent is not None:
        lines.append(f"In-Reply-To: <{mail.parent.message_id}>")
        lines.append("References: " + "\n ".join(f"<{ref}>" for ref in mail.references))
    for name, value in [*mail.extra_headers, *client_headers_for(mail)]:
        lines.append(_header_line(name, value))

    body = EmailMessage(policy=policy.default)
    text = full_text(mail)
    body.set_content(text)
    if mail.html_only_body is not None:
        body.add_alternative(mail.html_only_body, subtype="html")
    elif mail.html:
        body.add_alternative(_as_html(text), subtype="html")
    for attachment in mail.attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        body.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    index = 0
    for part in body.walk():
        if part.is_multipart():
            part.set_boundary(_boundary(mail, index))
            index += 1
    return ("\n".join(lines) + "\n").encode("ascii") + body.as_bytes()


def client_headers_for(mail: Mail) -> list[tuple[str, str]]:
    """Client headers with the per-message values (Thread-Topic, Content-Language) filled in."""
    out = []
    variant = int(hashlib.sha1(mail.message_id.encode()).hexdigest(), 16)
    for name, value in client_headers(variant, mail.sender.client):
        if name == "Thread-Topic":
            value = strip_prefixes(mail.subject)
        elif name == "Content-Language":
            value = "de-DE" if mail.language == "de" else "en-US"
        if value:
            out.append((name, value))
    return out
