"""Subject normalisation for threading: replies and forwards share one subject key."""

from __future__ import annotations

import re

# Reply/forward prefixes seen in the wild, by language. Single letters such as the
# Italian "R:"/"I:", and words like "Ref:" or "PR:", are left out on purpose: they
# start genuine business subjects ("PR: launch date") more often than they mark replies.
_PREFIXES = (
    "re",
    "fw",
    "fwd",
    "fwdx",  # English, plus Outlook's odd "FWDX"
    "aw",
    "wg",  # German: Antwort, Weitergeleitet
    "sv",
    "vs",
    "vb",  # Nordic: Svar, Videresend, Vidarebefordrat
    "vl",
    "välitetty",  # Finnish
    "tr",  # French: Transféré
    "rv",
    "res",
    "enc",
    "rif",  # Spanish/Portuguese/Italian
    "antw",
    "doorst",  # Dutch
    "ynt",
    "ilt",  # Turkish: Yanıt, İlet
    "odp",
    "pd",
    "przek",  # Polish
    "odg",  # Croatian/Serbian
    "atb",
    "pārs",  # Latvian
    "vá",
    "továbbítás",  # Hungarian
    "απ",
    "σχετ",
    "πρθ",  # Greek
    "השב",
    "הועבר",  # Hebrew
    "رد",
    "إعادة توجيه",  # Arabic
    "回复",
    "回覆",
    "答复",
    "转发",
    "轉寄",
    "轉發",  # Chinese
    "返信",
    "転送",  # Japanese
    "답장",
    "전달",  # Korean
    "отв",
    "ответ",
    "пересл",  # Russian
)

# One prefix: a word from the list, an optional counter ("Re[2]", "RE (3)", "Re^2"),
# then an ASCII or full-width colon; or a mailing-list tag such as "[USRP-users]".
_PREFIX_RE = re.compile(
    r"^\s*(?:"
    r"(?:" + "|".join(sorted((re.escape(p) for p in _PREFIXES), key=len, reverse=True)) + r")"
    r"\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]"
    r"|\[[^\[\]]{1,60}\]"
    r")\s*",
    re.IGNORECASE,
)
_SUFFIX_RE = re.compile(r"\s*\((?:fwd|fw)\)\s*$", re.IGNORECASE)
_WHITESPACE_RE = re.compile(r"\s+")


def normalize_subject(subject: str | None) -> str:
    """The subject a whole thread shares: prefixes, list tags and case removed."""
    if not subject:
        return ""
    text = _WHITESPACE_RE.sub(" ", subject).strip()
    while True:
        stripped = _PREFIX_RE.sub("", text, count=1)
        stripped = _SUFFIX_RE.sub("", stripped)
        if stripped == text:
            break
        text = stripped
    return text.lower().strip()
