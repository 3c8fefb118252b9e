"""Company names: the display form people write, a normalised key to compare them, and where to find them."""

from __future__ import annotations

import re
import unicodedata

from vectoros_pipelines.extraction.domains import domain_label

# Legal forms, longest first so "GmbH & Co. KG" is removed whole. Compared on the normalised key only.
_LEGAL_FORMS = (
    "gmbh & co. kg", "gmbh & co kg", "pty ltd", "pty. ltd.", "s.a.r.l.", "s.p.a.", "s.r.l.", "co., ltd.",
    "co. ltd", "incorporated", "corporation", "limited", "company", "gmbh", "mbh", "ag", "kg", "kgaa", "se",
    "ug", "e.k.", "inc.", "inc", "llc", "l.l.c.", "llp", "ltd.", "ltd", "corp.", "corp", "co.", "co", "plc",
    "s.a.", "sa", "s.a.s.", "sas", "sarl", "b.v.", "bv", "n.v.", "nv", "oy", "ab", "as", "a/s", "aps", "spa",
    "srl", "pte", "pte. ltd.", "lp", "l.p.", "k.k.", "s.l.", "sl", "gbr", "ohg", "e.v.", "sp. z o.o.",
)
LEGAL_FORM_PATTERN = (
    r"(?:GmbH & Co\.? KG|Pty\.? Ltd\.?|Co\., Ltd\.?|Inc\.?|Incorporated|LLC|L\.L\.C\.|LLP|Ltd\.?|Limited|"
    r"Corp\.?|Corporation|GmbH|mbH|AG|KGaA|KG|SE|UG|OHG|GbR|e\.V\.|plc|PLC|S\.A\.R\.L\.|S\.a\.r\.l\.|S\.A\.S\.|S\.A\.|SAS|SARL|"
    r"S\.p\.A\.|S\.r\.l\.|S\.L\.|Sp\. z o\.o\.|"
    r"B\.V\.|BV|N\.V\.|NV|Oy|AB|A/S|ApS|Pte\.? Ltd\.?|LP|K\.K\.)"
)
_TRAILING_LEGAL = re.compile(
    r"[\s,]+(?:" + "|".join(re.escape(f) for f in sorted(_LEGAL_FORMS, key=len, reverse=True)) + r")$",
    re.IGNORECASE,
)


def company_key(name: str) -> str:
    """Case-, accent- and legal-form-insensitive key: "ACME Corp." and "Acme" compare equal."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    text = re.sub(r"^the\s+", "", text)
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING_LEGAL.sub("", text).strip(" ,.")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# How German names are spelled in domains: "Steinbrück" lives at steinbrueck.de, "Weiß" at weiss.com.
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _key_variants(name: str) -> list[str]:
    """The plain key and, for names with umlauts, the transliterated one a domain would use."""
    keys = [company_key(name)]
    transliterated = company_key(name.translate(_TRANSLITERATION))
    if transliterated != keys[0]:
        keys.append(transliterated)
    return keys


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w)


def name_fits_domain(name: str, domain: str) -> bool:
    """Does a written company name plausibly own this domain? ("Meridian Health Partners" ↔ meridianhp.com,
    "Steinbrück Components" ↔ steinbrueck.de)."""
    label = re.sub(r"[^a-z0-9]", "", domain_label(domain))
    return any(_key_fits_label(key, label) for key in _key_variants(name))


def _key_fits_label(key: str, label: str) -> bool:
    words = [w for w in key.split() if w]
    if not words or not label or len(label) < 2:
        return False
    joined = "".join(words)
    if joined == label or (len(words) == 1 and len(label) >= 4 and label.startswith(joined) and len(joined) >= 4):
        return True
    if len(words) >= 2 and label == _initials(words):
        return True
    # leading words spelled out, the rest as initials: meridianhp ← Meridian Health Partners,
    # summitridgecu ← Summit Ridge Credit Union, acme ← Acme Corporation
    for k in range(1, len(words) + 1):
        spelled = "".join(words[:k])
        if not label.startswith(spelled):
            break
        rest = label[len(spelled):]
        if rest == "" and (k > 1 or len(spelled) >= 3):
            return True
        if rest and len(words) > k and rest == _initials(words[k:]):
            return True
    if label.startswith(joined) or joined.startswith(label):
        return len(label) >= 4 and len(joined) >= 4
    return False


def name_from_domain(domain: str) -> str:
    """Last resort: the domain's label as a name ("acme-robotics.de" → "Acme Robotics")."""
    label = domain_label(domain)
    return " ".join(part.capitalize() for part in re.split(r"[-_]", label) if part)


# Capitalised runs of words (with & and inner connectors), optionally ending in a legal form.
# A word of a name, but not a legal form: the run stops at "GmbH" so "Helios AG Sales" is not one name.
_NAME_WORD = r"(?!" + LEGAL_FORM_PATTERN + r"(?![\w]))(?:[A-ZÄÖÜ][\w&'’-]*|[A-Z]{2,})"
_CAPITALISED_RUN = re.compile(
    r"\b" + _NAME_WORD + r"(?:[ \t]+(?:&[ \t]+|and[ \t]+|und[ \t]+|of[ \t]+|für[ \t]+|for[ \t]+)?" + _NAME_WORD + r")*"
    r"(?:,?[ \t]+" + LEGAL_FORM_PATTERN + r"(?![\w]))?",
)
_LEGAL_TAIL = re.compile(r"\s*,?\s+" + LEGAL_FORM_PATTERN + r"$")


def company_candidates(text: str) -> list[tuple[str, int, int]]:
    """Capitalised names in text with their offsets: candidates to test against a domain."""
    out: list[tuple[str, int, int]] = []
    for m in _CAPITALISED_RUN.finditer(text):
        name = m.group(0) if _LEGAL_TAIL.search(m.group(0)) else m.group(0).rstrip(".,;:'’-")
        if len(name) >= 2:
            out.append((name, m.start(), m.start() + len(name)))
    return out


def best_name_for_domain(texts: list[str], domain: str) -> tuple[str, int, int, int] | None:
    """The longest written name that fits `domain`, as (name, text index, start, end)."""
    best: tuple[str, int, int, int] | None = None
    for index, text in enumerate(texts):
        for name, start, _end in company_candidates(text):
            for sub_name, sub_start in _sub_runs(name, start):
                if name_fits_domain(sub_name, domain):
                    length = len(sub_name)
                    if best is None or length > len(best[0]):
                        best = (sub_name, index, sub_start, sub_start + length)
                    break
    return best


def _sub_runs(name: str, start: int) -> list[tuple[str, int]]:
    """A run and its word-suffixes ("Thanks Dana Acme Corp" → … "Acme Corp"), longest first."""
    words = list(re.finditer(r"\S+", name))
    runs = []
    for i in range(min(len(words), 6)):
        offset = words[i].start()
        runs.append((name[offset:], start + offset))
    return runs
