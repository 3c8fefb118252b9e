"""Readable text from an HTML mail body, without the parts a reader never sees.

Hidden text matters beyond tidiness: marketing "preheaders" and prompt-injection
payloads ("ignore previous instructions…") are hidden with CSS so a human never
sees them, while a model reading the extracted text would. Only what a mail
client would render is kept.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Never rendered as body text.
_DROP_TAGS = ("head", "title", "script", "style", "noscript", "template", "object", "embed", "iframe", "svg")

# Elements that start a new line when rendered.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)

_HIDING_DECLARATIONS = (
    re.compile(r"display\s*:\s*none", re.I),
    re.compile(r"visibility\s*:\s*(?:hidden|collapse)", re.I),
    re.compile(r"(?<![-\w])font-size\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:!important)?\s*(?:;|$)", re.I),
    re.compile(r"(?<![-\w])opacity\s*:\s*0(?:\.0*)?\s*(?:!important)?\s*(?:;|$)", re.I),
    re.compile(r"mso-hide\s*:\s*all", re.I),
)
# Zero-size boxes hide their content only when overflow is clipped (the usual preheader trick).
_ZERO_BOX = re.compile(
    r"(?<![-\w])(?:max-)?(?:height|width)\s*:\s*0(?:px)?\s*(?:!important)?\s*(?:;|$)", re.I
)
_OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.I)

# Top-level rules of an embedded stylesheet; @media blocks are removed first because
# they hide content only on some screens (e.g. a mobile-only copy of the text).
_AT_BLOCK = re.compile(r"@[^{]+\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", re.S)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SIMPLE_SELECTOR = re.compile(r"^[a-zA-Z0-9_.#\-\s>*\[\]=\"'^$:]+$")

_SPACES = re.compile(r"[ \t\u00a0\u200b\u200c\u200d\ufeff\r\f\v]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def is_hiding_style(style: str) -> bool:
    """Whether a CSS declaration block makes its element invisible to a reader."""
    if any(pattern.search(style) for pattern in _HIDING_DECLARATIONS):
        return True
    return bool(_ZERO_BOX.search(style) and _OVERFLOW_HIDDEN.search(style))


def _hidden_selectors(tree: LexborHTMLParser) -> list[str]:
    """Selectors that an embedded <style> sheet hides, e.g. `.preheader {display:none}`."""
    selectors: list[str] = []
    for style in tree.css("style"):
        sheet = _AT_BLOCK.sub("", _CSS_COMMENT.sub("", style.text(deep=True) or ""))
        for match in _CSS_RULE.finditer(sheet):
            if not is_hiding_style(match.group(2)):
                continue
            for selector in match.group(1).split(","):
                selector = selector.strip()
                # Pseudo-classes such as :hover describe states, not what is shown on opening.
                if selector and ":" not in selector and _SIMPLE_SELECTOR.match(selector):
                    selectors.append(selector)
    return selectors


def _remove_hidden(tree: LexborHTMLParser) -> None:
    doomed: list[LexborNode] = []
    for selector in _hidden_selectors(tree):
        try:
            doomed.extend(tree.css(selector))
        except Exception:  # noqa: BLE001 - a selector lexbor rejects simply hides nothing
            continue
    doomed.extend(tree.css("[hidden], [aria-hidden='true' i], input[type='hidden' i]"))
    doomed.extend(node for node in tree.css("[style]") if is_hiding_style(node.attributes.get("style") or ""))
    for node in doomed:
        # decompose() on a node already removed with its ancestor is a no-op in lexbor
        node.decompose()


def html_to_text(html: str) -> str:
    """Visible text of an HTML document, one line per block, whitespace tidied."""
    if not html.strip():
        return ""
    tree = LexborHTMLParser(html)
    _remove_hidden(tree)
    tree.strip_tags(list(_DROP_TAGS))

    for br in tree.css("br"):
        br.insert_before("\n")
    for node in tree.css(",".join(sorted(_BLOCK_TAGS | {"td", "th"}))):
        # Cells sit side by side ("Price $10"); blocks get their own lines.
        node.insert_after(" " if node.tag in ("td", "th") else "\n")
    for img in tree.css("img[alt]"):
        alt = (img.attributes.get("alt") or "").strip()
        if alt:
            img.insert_before(f" {alt} ")

    root = tree.body or tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()
