"""Company names: the display form people write, a normalised key to compare them, and where to find them."""

from __future__ import annotations

import re
import unicodedata

from vectoros_pipelines.extraction.domains import domain_label

# Legal forms, longest first so "GmbH & Co. KG" is removed whole. Compared on the normalised key only.
LEGAL_FORMS = (
    "gmbh & co. kg", "gmbh & co kg", "pty ltd", "pty. ltd.", "s.a.r.l.", "s.p.a.", "s.r.l.", "co., ltd.",
    "co. ltd", "incorporated", "corporation", "limited", "company", "gmbh", "mbh", "ag", "kg", "kgaa", "se",
    "ug", "e.k.", "inc.", "inc", "llc", "l.l.c.", "llp", "ltd.", "ltd", "corp.", "corp", "co.", "co", "plc",
    "s.a.", "sa", "s.a.s.", "sas", "sarl", "b.v.", "bv", "n.v.", "nv", "oy", "ab", "as", "a/s", "aps", "spa",
    "srl", "pte", "pte. ltd.", "lp", "l.p.", "k.k.", "s.l.", "sl", "gbr", "ohg", "e.v.", "sp. z o.o.",
    "gesmbh", "d.o.o.", "doo", "s.r.o.", "sro", "a.s.", "kft.", "kft", "zrt.", "s.a.s", "oü", "sia", "uab", "co kg",
    "e.u.", "og", "kg.", "sp.j.", "s.c.", "sp. k.", "eg", "e.g.", "gmbh & co. kgaa", "ag & co. kg",
)
# Words many companies carry: alone they name no one.
GENERIC_NAME_WORDS = frozenset((
    "group", "groupe", "gruppe", "holding", "holdings", "partners", "partner", "services", "service", "solutions",
    "solution", "systems", "system", "software", "technologies", "technology", "technik", "tech", "logistics",
    "logistik", "consulting", "consultants", "international", "global", "industries", "industrial", "industrie",
    "engineering", "medical", "health", "healthcare", "bank", "banking", "insurance", "capital", "energy", "media",
    "hotels", "hotel", "pharma", "pharmacy", "retail", "foods", "food", "home", "homes", "trust", "community",
    "housing", "association", "society", "building", "company", "companies", "enterprises", "products",
    "manufacturing", "manufaktur", "maschinenbau", "anlagenbau", "antriebe", "antriebstechnik", "kunststofftechnik",
    "fordertechnik", "metall", "stahlbau", "handel", "vertrieb", "verwaltung", "deutschland", "austria",
    "osterreich", "schweiz", "europe", "america", "national", "regional", "united", "general", "digital", "data",
    "analytics", "cloud", "network", "networks", "labs", "studio", "studios", "design", "research", "marketing",
    "finance", "financial", "management", "institute", "university", "college", "school", "council", "authority",
    "centre", "center", "centres", "centers", "garden", "gardens", "retailers", "store", "stores", "north", "south",
    "east", "west", "northern", "southern", "eastern", "western", "central", "precision", "mechanik",
    "personalservice", "pflegedienste",
))

LEGAL_FORM_PATTERN = (
    r"(?:GmbH & Co\.? KG|Pty\.? Ltd\.?|Co\., Ltd\.?|Inc\.?|Incorporated|LLC|L\.L\.C\.|LLP|Ltd\.?|Limited|"
    r"Corp\.?|Corporation|GmbH|mbH|AG|KGaA|KG|SE|UG|OHG|GbR|e\.V\.|e\.K\.|plc|PLC|S\.A\.R\.L\.|S\.a\.r\.l\.|S\.A\.S\.|S\.A\.|SAS|SARL|"
    r"S\.p\.A\.|S\.r\.l\.|S\.L\.|Sp\. z o\.o\.|d\.o\.o\.|s\.r\.o\.|a\.s\.|Kft\.|Zrt\.|GesmbH|e\.U\.|"
    r"B\.V\.|BV|N\.V\.|NV|Oy|AB|A/S|ApS|Pte\.? Ltd\.?|LP|K\.K\.)"
)
_TRAILING_LEGAL = re.compile(
    r"[\s,]+(?:" + "|".join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True)) + r")$",
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
                if name_fits_domain(sub_name, domain) and not _GENERAL_PARTNER.search(sub_name):
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


# ---------------------------------------------------------------------------------------------------------
# Signature blocks and display names: the customer's company as people sign with it, suffix or not.

# Words of a job title or department (en/de). A line made of these is a title, not a company.
_TITLE_WORDS = frozenset("""
head vp svp evp avp vice president director manager lead leader chief officer ceo cfo cto coo cio cmo cro cpo cso
founder co-founder cofounder owner principal engineer engineering analyst specialist coordinator buyer
procurement purchasing operations ops sales marketing finance financial it data account accounts executive
controller controlling administrator admin consultant associate assistant senior junior sr sr. jr staff
strategic strategy business development bizdev product project program programme supply chain logistics
category commercial technical technology infrastructure security platform revenue customer success partnerships
partner general counsel legal hr people talent office team of and & for the - – global regional national
managing interim acting deputy senior-manager architect scientist treasurer secretary editor
publisher trader attorney paralegal vice-president
einkauf einkäufer einkäuferin leiter leiterin leitung geschäftsführer geschäftsführerin geschäftsführung
vertrieb vertriebsleiter vertriebsleiterin abteilungsleiter abteilungsleiterin teamleiter teamleiterin
prokurist prokuristin technik technischer technische kaufmännischer kaufmännische beschaffung
bereichsleiter bereichsleiterin referent referentin sachbearbeiter sachbearbeiterin assistenz
buchhaltung finanzen it-leiter it-leiterin projektleiter projektleiterin inhaber inhaberin vorstand
strategischer strategische operativer operative und der für des
""".split())  # noqa: SIM905 -- a word list reads better as text
_CONNECTORS = frozenset({"&", "and", "und", "of", "for", "für", "the", "de", "der", "la", "-", "–", "+"})
# Sign-offs that start a signature block.
_CLOSING = re.compile(
    r"^(?:best|kind|warm|warmest|many thanks|thanks|thank you|thx|cheers|regards|best regards|kind regards|"
    r"sincerely|yours|all the best|talk soon|mit freundlichen grüßen|mit freundlichen gruessen|freundliche grüße|"
    r"viele grüße|beste grüße|liebe grüße|herzliche grüße|schöne grüße|grüße|gruß|mfg|vg|lg|bg|danke|vielen dank)"
    r"\b[^\n]{0,30}$",
    re.IGNORECASE,
)
# Display-name tails that name a team, not a person: "Acme Corp Billing", "Steinbrück Einkauf".
_TEAM_TAIL = re.compile(
    r"\s+(?:billing|accounts(?: payable| receivable)?|accounting|sales|support|procurement|purchasing|team|"
    r"finance|operations|ops|orders|info|hr|legal|einkauf|buchhaltung|vertrieb|beschaffung|service|kundenservice)$",
    re.IGNORECASE,
)
_NOT_COMPANY = re.compile(
    r"@|https?:|www\.|\d{3}|:|\b(?:street|st\.|road|avenue|suite|floor|straße|strasse|str\.|platz|weg|"
    r"tel|phone|mobile|fax|mobil|email|e-mail|linkedin|sent from|gesendet|confidential|vertraulich)\b",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,/]+", text.strip()) if w]


def is_title_line(text: str) -> bool:
    """"Head of Data", "VP Operations", "Einkauf", "Leiterin Beschaffung": a job title or department."""
    words = [w.lower().strip(".()") for w in _words(text)]
    if not words:
        return False
    content = [w for w in words if w not in _CONNECTORS]
    return bool(content) and (_title_word(words[0]) and words[0] not in _CONNECTORS or
                              all(_title_word(w) for w in content))


def _title_word(word: str) -> bool:
    """"director", or a hyphenated title ("editor-in-chief", "co-founder")."""
    return word in _TITLE_WORDS or ("-" in word and all(
        part in _TITLE_WORDS or part in ("in", "co", "at") for part in word.split("-") if part))


def looks_like_company(text: str) -> bool:
    """A short run of capitalised words (connectors and legal forms allowed): could be an organisation's name."""
    text = text.strip()
    if not (2 <= len(text) <= 60) or _NOT_COMPANY.search(text) or _CLOSING.match(text) or is_title_line(text):
        return False
    if "\t" in text or "  " in text:
        return False  # columns of a table or a forwarded header block, not one name
    if _LEGAL_TAIL.search(text) or re.search(LEGAL_FORM_PATTERN + r"$", text):
        return bool(re.match(r"[A-ZÄÖÜ0-9]", text))
    words = text.split()
    if len(words) >= 3 and text.isupper():
        return False  # a shouted heading ("REGISTRATION FORM FOR …"); names in capitals are short acronyms
    if not 1 <= len(words) <= 5:
        return False
    for w in words:
        if w.lower() in _CONNECTORS:
            continue
        if not re.match(r"^[A-ZÄÖÜ0-9][\w&'’.+-]*$", w):
            return False
    if text.endswith("."):
        return words[-1].lower() in LEGAL_FORMS and len(words) >= 2
    return not text.endswith(("!", "?"))


def _same_person(line: str, person: str) -> bool:
    """Is this line the signer's name ("Jane Doe", "Jane", "— Jane")?"""
    line_key = company_key(line.strip(" -–—~*_"))
    person_key = company_key(person)
    if not line_key or not person_key:
        return False
    return line_key == person_key or line_key == person_key.split()[0] or person_key.startswith(line_key + " ")


def _looks_like_person(line: str) -> bool:
    words = line.strip(" -–—~*_").split()
    return 1 <= len(words) <= 4 and all(re.match(r"^[A-ZÄÖÜ][\w'’.-]*$", w) for w in words) \
        and not is_title_line(line)


_AT_COMPANY = re.compile(r"(?:\s@\s*|\s+at\s+|\s+bei\s+)(?P<name>[A-ZÄÖÜ0-9][^@,|]{1,58})$")


def _from_line(line: str, person: str) -> str | None:
    """A company named on one signature line: "Jane Doe | Head of Data | Rowan & Finch",
    "VP Operations, Quarry Lane Software", "— Jane, Procurement @ Acme"."""
    line = line.strip().strip("-–—~*_ ").strip()
    parts = [p.strip() for p in re.split(r"\s*[|•·]\s*|\s+[–—]\s+", line) if p.strip()]
    if len(parts) >= 2:
        signed = any(is_title_line(p) or (person and _same_person(p, person)) for p in parts)
        if signed:
            for part in reversed(parts):
                at = _AT_COMPANY.search(" " + part)
                if at and looks_like_company(at.group("name")):
                    return at.group("name").strip()
                if looks_like_company(part) and not (person and _same_person(part, person)) \
                        and not _looks_like_person_only(part, parts, person):
                    return part
        return None
    at = _AT_COMPANY.search(line)
    if at:
        before = line[:at.start()].strip(" ,")
        last_piece = before.split(",")[-1].strip()
        if (is_title_line(last_piece) or (person and _same_person(before, person))) and looks_like_company(at.group("name")):
            return at.group("name").strip()
    if "," in line:
        head, _, tail = line.rpartition(",")
        head_last = head.split(",")[-1].strip()
        if is_title_line(head_last) and looks_like_company(tail):
            return tail.strip()
    return None


def _looks_like_person_only(part: str, parts: list[str], person: str) -> bool:
    """The first part of "Jane Doe | Head of Data | …" is the person even when we don't know their name."""
    return part == parts[0] and not person and _looks_like_person(part) and len(parts) >= 3


def signature_companies(text: str, person: str = "") -> list[str]:
    """Companies a sender signs with, from the end of their own text (not the quoted history), best first.

    `person` is the signer's display name when known; it anchors stacked blocks
    ("Jan Müller\nEinkauf\nSteinbrück Logistik GmbH").
    """
    lines = [line.strip() for line in text.strip().split("\n") if line.strip().strip("-_=*~– ")][-12:]
    found: list[str] = []
    # single-line forms, the lowest (the signature) first
    for line in reversed(lines):
        name = _from_line(line, person)
        if name and name not in found:
            found.append(name)
    # stacked: a sign-off, the signer's name or a title line, then (after names and titles) the company
    for i, line in enumerate(lines):
        closing = bool(_CLOSING.match(line))
        named = bool(person) and _same_person(line, person)
        if not (closing or named or is_title_line(line)):
            continue
        first_names = {company_key(line).split()[0]} if named and company_key(line) else set()
        titles = int(is_title_line(line))
        for nxt in lines[i + 1:i + 5]:
            if is_title_line(nxt):
                titles += 1
                continue
            key = company_key(nxt)
            if (person and _same_person(nxt, person)) or (key and key.split()[0] in first_names):
                continue
            if closing and not first_names and _looks_like_person(nxt) and len(nxt.split()) <= 3 and \
                    not _LEGAL_TAIL.search(nxt):
                first_names.add(key.split()[0] if key else "")
                continue
            if looks_like_company(nxt) and (titles or first_names or _LEGAL_TAIL.search(nxt)) and nxt not in found:
                found.append(nxt)
            break
    # A GmbH & Co. KG's footer names its general partner ("Verwaltungs-GmbH"): never the trading name.
    trading = [name for name in found if not _GENERAL_PARTNER.search(name)]
    return trading or found


_GENERAL_PARTNER = re.compile(r"\b(?:verwaltungs|beteiligungs|komplementär)[\w-]*\s*(?:gmbh|ag|se)\b", re.IGNORECASE)


def signature_company(text: str, person: str = "") -> str | None:
    names = signature_companies(text, person)
    return names[0] if names else None


def display_name_company(display: str) -> str | None:
    """"Jane Doe (Acme Corp)" → "Acme Corp"; "Acme Corp Billing" → "Acme Corp"; "Jane | Acme" → "Acme"."""
    display = display.strip().strip('"')
    m = re.search(r"\((?P<name>[^()]{2,60})\)\s*$", display) or re.search(r"\s[|@–—]\s*(?P<name>[^|@–—]{2,60})$", display) \
        or re.search(r"\s(?:at|bei|from|von)\s+(?P<name>[A-ZÄÖÜ][^()]{1,58})$", display)
    if m:
        name = m.group("name").strip()
        return name if looks_like_company(name) and not is_title_line(name) else None
    m = _TEAM_TAIL.search(display)
    if m and display[:m.start()].strip():
        name = display[:m.start()].strip()
        return name if looks_like_company(name) else None
    return None


def name_shares_domain(name: str, domain: str) -> bool:
    """Looser than `name_fits_domain`: a word of the name (≥ 4 letters) is in the domain label, or the label
    begins with the name's first word's first 4 letters ("Rowan & Finch" ↔ rowanfinch, "Vireo Labs" ↔ vireo)."""
    if name_fits_domain(name, domain):
        return True
    label = re.sub(r"[^a-z0-9]", "", domain_label(domain))
    if len(label) < 3:
        return False
    for key in _key_variants(name):
        words = [w for w in key.split() if w not in _CONNECTORS]
        if not words:
            continue
        if any(len(w) >= 4 and w in label for w in words):
            return True
        if len(words[0]) >= 4 and label.startswith(words[0][:4]):
            return True
        if len(label) >= 4 and label in "".join(words):
            return True
    return False


# A team named after its company in a display name ("Ardent Biotech Procurement") or a meeting in a title.
_DEPARTMENT_TAIL = re.compile(
    r"\s+(?:procurement|purchasing|accounts payable|accounts|finance|billing|einkauf|buchhaltung|beschaffung|hr|human resources"
    r"|marketing|legal|sales|vertrieb|support|it|operations|team|department|abteilung|personalabteilung"
    # and a meeting named after it: "Fernhill Software QBR", "Acme Kickoff"
    r"|qbr|kick-?off|demo|sync|check-?in|review|meeting|workshop|intro|termin|besprechung)$",
    re.IGNORECASE,
)


def tidy_company(name: str) -> str | None:
    """The company name without a department tail; None for a name of generic words only ("Hotel", "Group")."""
    tidy = name.strip()
    stripped = _DEPARTMENT_TAIL.sub("", tidy)
    if stripped != tidy and len(stripped.split()) >= 2:
        tidy = stripped
    words = company_key(tidy).split()
    if not words or all(word in GENERIC_NAME_WORDS for word in words):
        return None
    return tidy
