"""Sentence splitting across scripts, keeping char offsets into the original text.

Rule-based on purpose (fast, no model): Latin/Cyrillic full stops need following
whitespace and must not end a known abbreviation, an initial ("S. Jaishankar") or a
short ordinal ("1. Juni"); the danda (। ॥), CJK (。！？), Arabic/Urdu (؟ ۔) and
newlines always end a sentence. Closing quotes/brackets stay with their sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lower-cased abbreviations (without the final dot) that do not end a sentence.
ABBREVIATIONS = frozenset(
    """
mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep rev st jr sr inc ltd corp co
vs etc e.g i.e u.s u.k u.n u.s.a e.u no nos jan feb mar apr jun jul aug sep sept oct nov dec
approx dept est fig min max mt ft hon pres sec ave blvd
z.b bzw ca nr str vgl dr.-ing usw evtl inkl
m mme mlle mgr cf
sr sra srta dña ee.uu av núm pág
sra prof.ª
г гг т.е т.д т.п им ул стр см млн млрд тыс руб долл
""".split()
)

_CLOSERS = "\"'”’»」』）)]】〕›"
_HARD_END = "।॥。！？!?؟۔;；"
_SENT_END = re.compile(r"[.!?।॥。！？؟۔\n]")
_WORD_CHARS = re.compile(r"[\w.\-]+")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int  # offset of the first char in the original text
    end: int  # offset after the last char
    text: str


def _is_boundary(text: str, i: int) -> bool:
    """Does the terminator at text[i] end a sentence?"""
    ch = text[i]
    if ch == "\n":
        return True
    if ch in "।॥。！？؟۔":
        return True
    j = i + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    if j < len(text) and not text[j].isspace():
        return False  # "3.5", "U.S.", "example.com"
    if ch in "!?":
        return True
    # ch == "."
    word = _word_before(text, i)
    if not word:
        return True
    low = word.lower()
    if low in ABBREVIATIONS or low.rstrip(".") in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # initial: "S. Jaishankar"
    if "." in word and len(word) <= 6 and word.replace(".", "").isalpha():
        return False  # "U.S", "e.g"
    if word.isdigit() and len(word) <= 2:
        return False  # ordinal "1. Juni"
    k = j
    while k < len(text) and text[k].isspace():
        k += 1
    if k < len(text) and text[k].islower():
        return False  # next word in lower case: not a new sentence
    return True


def _word_before(text: str, i: int) -> str:
    r"""The run of word characters, dots and hyphens right before text[i] (within 40 chars), as
    `[\w.\-]+$` finds it in text[i-40:i] ($ also matches before a final newline). Matched on
    the reversed text: searching for `$` would retry from every start in the window."""
    seg = text[max(0, i - 40) : i]
    if seg.endswith("\n"):
        seg = seg[:-1]
    m = _WORD_CHARS.match(seg[::-1])
    return m.group()[::-1] if m else ""


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; offsets refer to `text` itself."""
    out: list[Sentence] = []
    start = 0
    n = len(text)
    for m in _SENT_END.finditer(text):
        i = m.start()
        if i < start or not _is_boundary(text, i):
            continue
        end = i + 1
        while end < n and (text[end] in _CLOSERS or text[end] in _HARD_END):
            end += 1
        _append(out, text, start, end)
        start = end
    if start < n:
        _append(out, text, start, n)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    """Add text[start:end] without surrounding whitespace, unless that leaves nothing."""
    seg = text[start:end]
    body = seg.strip()
    if body:
        start += len(seg) - len(seg.lstrip())
        out.append(Sentence(len(out), start, start + len(body), body))


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of blank-line paragraph breaks (sentence context does not cross them)."""
    return [m.start() for m in re.finditer(r"\n\s*\n", text)]
