"""Instructions addressed to a model inside a message are data: find them so they can be masked out."""

from __future__ import annotations

import re

_INSTRUCTION = re.compile(
    r"(?i)(?:ignore|disregard|forget|override) (?:all |any |the )?(?:previous|prior|above|earlier|your|system|other)?\s*(?:instructions|prompts?|rules|guidelines|context)"
    r"|(?:you are|act as|pretend to be) (?:now )?(?:an? )?(?:ai|assistant|language model|llm|chatbot|gpt|claude)"
    r"|(?:system|developer) (?:prompt|message|instruction)|\bas an ai\b|new instructions?:"
    r"|(?:mark|classify|label|flag|record|treat|tag|log) (?:this|the) (?:e-?mail|message|thread|conversation|lead)? ?as (?:an? )?(?:\$|€|£)?[\w$€£,.]*\s?(?:deal|won|closed|qualified|opportunity|lead|high[- ]priority)"
    r"|(?:set|change|update) (?:the )?(?:deal )?(?:amount|value|stage|status|probability|close date|confidence|size) (?:to|=)"
    r"|\b(?:ai|llm|gpt|claude|model|bot)(?: assistant| system)?\s*:"
    r"|(?:ignoriere|vergiss) (?:alle |die )?(?:vorherigen |bisherigen )?(?:anweisungen|instruktionen|regeln)"
    r"|(?:markiere|klassifiziere|behandle) (?:diese|die) (?:e-?mail|nachricht) als",
)
# Cheap substring gate (C speed): the full pattern only runs on the rare text that has one of these.
_GATE = (
    "instruction", "prompt", "disregard", "ignor", "forget", "override", "pretend", "act as", "you are now",
    "assistant", "language model", "chatbot", "gpt", "claude", "llm", "as an ai", "ai:", "bot:", "model:",
    "mark this", "mark the", "classify this", "classify the", "label this", "label the", "flag this", "treat this",
    "record this", "tag this", "log this", "set the deal", "set the amount", "set the value", "set the stage",
    "set the status", "set the close", "set the probability", "set the confidence", "set deal", "set amount",
    "set stage", "change the deal", "change the amount", "change the stage", "update the deal", "update the amount",
    "update the stage", "set the size", "set value", "set status",
    "vergiss", "anweisung", "markiere", "klassifiziere", "behandle",
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence that contains an instruction to a model."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    if not any(key in lowered for key in _GATE):
        return spans
    for m in _INSTRUCTION.finditer(text):
        start = max((i.end() for i in _SENTENCE_END.finditer(text, 0, m.start())), default=0)
        end_match = _SENTENCE_END.search(text, m.end())
        end = end_match.end() if end_match else len(text)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def mask_instructions(text: str) -> str:
    """The text with instruction sentences blanked out; same length, so offsets into it stay valid."""
    spans = instruction_spans(text)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
