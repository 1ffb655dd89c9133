r"""Per-language trigger lexicons (data/triggers/<lang>.tsv), compiled once per process.

File format (a linguist can extend it without touching code), one entry per line:

    pattern <TAB> code <TAB> flags (optional, comma separated) <TAB> note (optional)

* `code` is a CAMEO code ("0312", "19") for an action trigger, or a cue class:
  `@say` (generic statement verb; coded 010 only when nothing else is coded in the
  sentence), `@neg` (negation), `@intent` (intention / future / willingness),
  `@report` (attribution: "according to"), `@nonpol` (sports/weather vocabulary: the
  sentence is not political), `@agent_after` / `@target_after` (postpositions or
  particles after an actor: ने, を), `@agent_before` / `@target_before` (prepositions
  before an actor: "by", "against", 对), `@conj` ("and"), `@passive` (passive voice
  auxiliary near the trigger, e.g. される, किया गया).
* `pattern`: words separated by spaces; a word ending in `*` is a stem (matches any
  ending: `sanction*` → sanctions, sanctioned); `~` is a gap of up to four words (or
  ten characters in languages written without spaces). A pattern starting with `re:`
  is a raw regular expression (for suffixes, e.g. Hindi future `re:\w+(?:गा|गी|गे)`).
* flags: `sym` symmetric action (the two actors act together: first named is actor1),
  `nom` nominal trigger (only coded with both actors explicit), `pass` passive form
  (grammatical subject is the target), `intent` the trigger itself states an intention.
* Header lines `#! mode=word|substring|arabic` and `#! order=SVO|SOV|VSO` describe
  how words are matched and the basic word order; `#! neg=B,A` / `#! intent=B,A` set
  how many characters before/after a trigger a negation / intention cue may stand.
"""

from __future__ import annotations

import functools
import pathlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from pipeline.events.trie import trie_regex

DATA_DIR = pathlib.Path(__file__).resolve().parent / "data"
TRIGGER_DIR = DATA_DIR / "triggers"

CUE_CLASSES = (
    "@say",
    "@neg",
    "@intent",
    "@report",
    "@nonpol",
    "@agent_after",
    "@target_after",
    "@agent_before",
    "@target_before",
    "@conj",
    "@passive",
    # topic words that refine a generic code (020 -> 0256, 030 -> 0312, ...)
    "@t_mil",
    "@t_econ",
    "@t_aid",
    "@t_hum",
    "@t_talks",
    "@t_mediat",
    "@t_ceasefire",
    "@t_release",
    "@t_resign",
    "@t_policy",
    "@gen_after",
    "@place_after",
    "@place_before",
    "@t_mass",
    # case suffixes glued to the actor noun (Bengali -কে, -এর)
    "@target_suffix",
    "@gen_suffix",
    "@place_suffix",
    # subject pronouns ("he", "il", "उन्होंने"): the subject is the previous actor
    "@pron",
    # "both sides", "the two leaders", "दोनों", "双方": a symmetric act of the last pair
    "@both",
    # "about" (को लेकर, について): an act before it is the topic of a statement
    "@about",
    # relative pronouns: "farmers *who* protested" (subject), "Xi, *à qui* il a demandé" (target)
    "@rel",
    "@rel_target",
    # object pronouns ("them", "उन्हें", "তাঁদের"): the previous sentence's actor
    "@pron_obj",
    # "the Taiwan *issue*", "कश्मीर *मुद्दे*", "台湾*问题*": the mention names a topic, not an actor
    "@topic_after",
)


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: str
    code: str
    flags: frozenset[str]


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    quad_class: int
    goldstein: float
    plover: str | None


@dataclass
class Lexicon:
    """Compiled lexicon of one language."""

    lang: str
    mode: str
    order: str
    triggers: list[Trigger]
    trigger_re: regex.Pattern | None
    cues: dict[str, regex.Pattern] = field(default_factory=dict)
    cue_after: dict[str, regex.Pattern] = field(default_factory=dict)  # anchored after a span
    cue_before: dict[str, regex.Pattern] = field(default_factory=dict)  # anchored before a span
    header: dict[str, str] = field(default_factory=dict)
    cue_end: dict[str, regex.Pattern] = field(default_factory=dict)
    # key (first 1-3 chars of a pattern's first word, lower case) -> one alternation of
    # all its patterns, group `t<k>` for self.triggers[k], most specific (lowest k) first;
    # compiled on first use (see _key_regex)
    index: dict[str, str] = field(default_factory=dict)
    key_lengths: tuple[int, ...] = (1, 2, 3)
    raw: list[tuple[int, regex.Pattern]] = field(default_factory=list)
    # `re` scans of lower-cased text (see _lower_plain) for where an indexed pattern can
    # begin (see _starts), and per cue class (and for all topic classes, key "@t_") for the
    # literal start of one of its patterns
    prefilter: re.Pattern | None = None
    cue_gates: dict[str, re.Pattern] = field(default_factory=dict)
    _index_re: dict[str, regex.Pattern] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _memo: tuple[str, str | None, dict] = field(
        default_factory=lambda: ("", "", {}), init=False, repr=False, compare=False
    )

    def window(self, name: str, default: tuple[int, int]) -> tuple[int, int]:
        """A (chars before, chars after) window from a header like `#! neg=40,0`."""
        v = self.header.get(name)
        if not v:
            return default
        a, _, b = v.partition(",")
        return int(a), int(b or 0)

    def find_triggers(self, text: str, pos: int = 0, endpos: int | None = None):
        """Yield (start, end, Trigger) for non-overlapping trigger matches in text[pos:endpos].

        Patterns are indexed by the first characters of their first word, so only the
        alternation of a few is tried at each word start (CJK: at each character) instead
        of one huge alternation; at one start the most specific pattern wins. `_starts`
        narrows the word starts (characters) to try down to the few where a pattern can begin.
        """
        end = len(text) if endpos is None else endpos
        cands: list[tuple[int, int, int]] = []
        key_regex = self._key_regex
        if self.mode == "substring":
            for i in self._starts(text, pos, end):
                for n in (1, 2, 3):
                    rx = key_regex(text[i : i + n].lower())
                    if rx is not None:
                        m = rx.match(text, i, end)
                        if m:
                            cands.append((i, m.end(), int(m.lastgroup[1:])))
        elif self.mode == "arabic":
            for wm in _WORD_START.finditer(text, pos, end):
                if wm.start() > 0 and text[wm.start() - 1] in "-‐":
                    continue  # part of a compound
                self._arabic_word(text, wm.start(), wm.group(), end, cands)
        else:
            lens = self.key_lengths
            for ws in self._starts(text, pos, end):
                if ws > 0 and text[ws - 1] in "-‐":
                    continue  # "U.S.-backed", "anti-government": part of a compound
                wm = _WORD_START.match(text, ws, end)
                if wm is None or (ws > pos and _WORD_CHAR.match(text, ws - 1)):
                    continue  # not the start of a word
                low = wm.group()[:3].lower()
                for n in lens:
                    rx = key_regex(low[:n])
                    if rx is not None:
                        m = rx.match(text, ws, end)
                        if m:
                            cands.append((ws, m.end(), int(m.lastgroup[1:])))
        for k, rx in self.raw:
            for m in rx.finditer(text, pos, end):
                cands.append((m.start(), m.end(), k))
        if not cands:
            return
        cands.sort(key=lambda c: (c[0], c[2], -(c[1] - c[0])))
        last_end = -1
        for s, e, k in cands:
            if s < last_end or e <= s:
                continue
            last_end = e
            yield s, e, self.triggers[k]

    def _key_regex(self, key: str) -> regex.Pattern | None:
        """The alternation of index key `key`, compiled on first use: with the prefilter most
        keys are never tried, and a short-lived worker need not compile them."""
        rx = self._index_re.get(key)
        if rx is None and key in self.index:
            rx = self._index_re[key] = regex.compile(self.index[key], _FLAGS)
        return rx

    def _starts(self, text: str, pos: int, end: int) -> Iterable[int]:
        """Offsets in text[pos:end] where an indexed pattern may match: a superset, found by
        one C-level scan of the lower-cased text with `prefilter` instead of a Python loop over
        every word start (word mode) or character (substring mode)."""
        if self.prefilter is not None:
            low = self._lowered(text, pos, end)
            if low is not None:
                if self.mode == "word":  # a match is the character before a start
                    low = " " + low  # (the span's first word has none)
                return [pos + m.start() for m in self.prefilter.finditer(low)]
        if self.mode == "substring":
            return range(pos, end)
        return [m.start() for m in _WORD_START.finditer(text, pos, end)]

    def _arabic_word(self, text: str, ws: int, word: str, end: int, cands: list) -> None:
        """Try patterns after each possible clitic prefix (و ف ب ل ك ال) of an Arabic word."""
        for off in range(min(4, len(word))):
            if off and not _CLITICS.fullmatch(word[:off]):
                continue
            bare = _AR_MARK_RE.sub("", word[off : off + 6])
            for n in self.key_lengths:
                rx = self._key_regex(bare[:n])
                if rx is not None:
                    m = rx.match(text, ws + off, end)
                    if m:
                        cands.append((ws, m.end(), int(m.lastgroup[1:])))

    def _may_have(self, cls: str, text: str, pos: int, end: int) -> bool:
        """False when no pattern of cue class `cls` can match inside text[pos:end]; a cheap
        literal scan that spares most calls the full (slow) alternation."""
        gate = self.cue_gates.get(cls)
        if gate is None:
            return True
        low = self._lowered(text, pos, end)
        return low is None or gate.search(low) is not None

    def _lowered(self, text: str, pos: int, end: int) -> str | None:
        """text[pos:end] lower-cased for literal scans (see _lower_plain) or None. The coder scans
        every sentence of an article for triggers and then for many cue classes, so the whole
        text is lower-cased once (else each span once) for the latest text."""
        memo = self._memo
        if memo[0] is not text:
            memo = self._memo = (text, _lower_plain(text), {})
        if memo[1] is not None:
            return memo[1][pos:end]
        got = memo[2].get((pos, end), _UNSEEN)
        if got is _UNSEEN:
            got = memo[2][pos, end] = _lower_plain(text[pos:end])
        return got

    def find_cues(self, cls: str, text: str, pos: int = 0, endpos: int | None = None):
        """Spans (start, end) of cue class `cls` in text[pos:endpos]."""
        rx = self.cues.get(cls)
        if rx is None:
            return []
        end = len(text) if endpos is None else endpos
        if not self._may_have(cls, text, pos, end):
            return []
        return [(m.start(), m.end()) for m in rx.finditer(text, pos, end)]

    def topic_cues(self, text: str, pos: int = 0, endpos: int | None = None) -> dict[str, list[int]]:
        """Start offsets of each topic cue class (@t_...) found in text[pos:endpos]. Most
        sentences name no topic: one literal scan (gate "@t_") rules out all classes that
        have a literal gate, instead of one scan per class."""
        end = len(text) if endpos is None else endpos
        some = self._may_have(_TOPICS, text, pos, end)
        topics: dict[str, list[int]] = {}
        for cls in self.cues:
            if cls.startswith(_TOPICS) and (some or cls not in self.cue_gates):
                spans = self.find_cues(cls, text, pos, end)
                if spans:
                    topics[cls] = [a for a, _ in spans]
        return topics

    def cue_right_after(self, cls: str, text: str, pos: int) -> bool:
        rx = self.cue_after.get(cls)
        return bool(rx and rx.match(text, pos))

    def cue_suffix(self, cls: str, word: str) -> bool:
        """Does `word` (an actor mention as written) end in a case suffix of class `cls`?"""
        rx = self.cue_end.get(cls)
        return bool(rx and rx.search(word))

    def cue_right_before(self, cls: str, text: str, pos: int) -> bool:
        rx = self.cue_before.get(cls)
        return bool(rx and rx.search(text, max(0, pos - 40), pos))


_AR_MARKS = "[\u064b-\u0652\u0640]*"  # short vowels, shadda, sukun, tatweel
# Optional determiners between a preposition and an actor ("by *the* police", "à *l'*ambassadeur").
_ARTICLES = (
    r"(?:(?:the|a|an|la|le|les|l['’]|el|los|las|un|une|des|du|de\s+la|der|die|das|den|dem|des|"
    r"ein|eine|einen|einem|o|os|as|um|uma|al|del|il|lo|gli|i)\s*)?"
)
_AR_MARK_RE = regex.compile("[\u064b-\u0652\u0640]")
_WORD_START = regex.compile(r"\w+")
_WORD_CHAR = regex.compile(r"\w")
_UNSEEN = object()
_FLAGS = regex.IGNORECASE | regex.V0
_TOPICS = "@t_"  # prefix of the topic cue classes
_CLITICS = regex.compile(r"(?:[وف])?(?:[بلك])?(?:ال)?")


def _token_regex(tok: str, mode: str) -> str:
    stem = tok.endswith("*") and len(tok) > 1
    word = tok[:-1] if stem else tok
    if mode == "arabic":
        body = _AR_MARKS.join(regex.escape(ch) for ch in word) + _AR_MARKS
    else:
        body = regex.escape(word)
    if mode == "substring":
        return body
    return body + (r"\w*" if stem else r"(?!\w)")


def pattern_regex(pattern: str, mode: str) -> str:
    """Regex source of one lexicon pattern (see module docstring)."""
    if pattern.startswith("re:"):
        src = pattern[3:]
        return (r"(?<!\w)" + src) if mode in ("word", "arabic") else src
    toks = pattern.split()
    parts: list[str] = []
    for i, tok in enumerate(toks):
        if tok == "~":
            parts.append(r".{0,10}?" if mode == "substring" else r"(?:\S+\s+){0,4}?")
            continue
        parts.append(_token_regex(tok, mode))
        if i + 1 < len(toks) and mode != "substring":
            parts.append(r"\s+" if toks[i + 1] != "~" else r"\s+")
    src = "".join(parts)
    if mode == "word":
        src = r"(?<!\w)" + src
    elif mode == "arabic":
        src = r"(?<!\w)(?:[وف])?(?:[بلك])?(?:ال)?" + src
    return src


def _pattern_char_lower(ch: str) -> str | None:
    """`ch` of a pattern in lower case when IGNORECASE treats it like its lower-case form:
    one character, equal to its case folding and to the lower case of its upper case (not
    ß, ı, ς, ſ)."""
    low = ch.lower()
    if len(low) != 1 or low != ch.casefold() or ch.upper().lower() != low:
        return None
    return low


def _lower_plain(chunk: str) -> str | None:
    """`chunk` in lower case, if matching the lower-cased literal parts of patterns against it
    finds every place where the IGNORECASE patterns can match; else None.

    That holds when lower-casing is char-for-char and equals case folding (which, unlike
    lower-casing, is context-free: a slice of the result is valid for the slice of `chunk`)
    and there is no dotless ı (which `regex` matches with I): true for almost all text, not
    for ß, İ, ſ, final sigma, Turkish...
    """
    low = chunk.lower()
    if len(low) == len(chunk) and low == chunk.casefold() and "ı" not in chunk:
        return low
    return None


def _prefix_atoms(pattern: str, mode: str) -> list[str]:
    """`re` pieces that every match of `pattern` begins with, in lower-cased text: the literal
    characters of its first word or two (with the whitespace between them), up to a gap `~`,
    a stem ending or a character with irregular case mapping."""
    toks = pattern.split()
    atoms: list[str] = []
    for i, tok in enumerate(toks[:2]):
        if tok == "~":
            break
        stem = tok.endswith("*") and len(tok) > 1
        for ch in tok[:-1] if stem else tok:
            low = _pattern_char_lower(ch)
            if low is None:
                return atoms
            atoms.append(re.escape(low))
        if mode == "word":
            if stem or i + 1 >= len(toks) or toks[i + 1] == "~":
                break
            atoms.append(r"\s+")
    return atoms


def _literal_scan(patterns: list[str], mode: str, head: str | None = None) -> re.Pattern | None:
    """`re` search (over lower-cased text, see _lower_plain) for the literal start of one of
    `patterns`; with `head`, a zero-width match at every place where one may begin. None when
    some pattern has no literal start (raw `re:` patterns, clitics in Arabic mode, a leading
    gap)."""
    if mode == "arabic" or any(p.startswith("re:") for p in patterns):
        return None
    seqs = [_prefix_atoms(p, mode) for p in patterns]
    if not seqs or not all(seqs):
        return None
    trie = trie_regex(seqs)
    return re.compile(trie if head is None else head + "(?=" + trie + ")")


def _specificity(t: Trigger) -> int:
    return len(t.pattern.replace("*", "").replace("~", "").replace(" ", ""))


def _read_tsv(path: pathlib.Path):
    header: dict[str, str] = {}
    rows: list[Trigger] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#!"):
            for kv in line[2:].split():
                if "=" in kv:
                    k, v = kv.split("=", 1)
                    header[k.strip()] = v.strip()
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise ValueError(f"{path.name}: bad line {line!r} (need pattern<TAB>code)")
        pattern, code = cols[0].strip(), cols[1].strip()
        flags = (
            frozenset(f.strip() for f in cols[2].split(",") if f.strip())
            if len(cols) > 2
            else frozenset()
        )
        if not pattern:
            continue
        if not (code.isdigit() or code in CUE_CLASSES):
            raise ValueError(f"{path.name}: unknown code {code!r} in line {line!r}")
        rows.append(Trigger(pattern, code, flags))
    return header, rows


@functools.lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """Languages with a trigger lexicon (data/triggers/<lang>.tsv)."""
    return tuple(sorted(p.stem for p in TRIGGER_DIR.glob("*.tsv")))


@functools.cache
def load_lexicon(lang: str) -> Lexicon | None:
    """The compiled lexicon of `lang`, or None when there is no file for it."""
    path = TRIGGER_DIR / f"{lang}.tsv"
    if not path.exists():
        return None
    header, rows = _read_tsv(path)
    mode = header.get("mode", "word")
    order = header.get("order", "SVO")
    flags = _FLAGS
    triggers = sorted(
        (r for r in rows if not r.code.startswith("@") or r.code == "@say"),
        key=_specificity,
        reverse=True,
    )
    trig_re = None
    sources: dict[str, list[tuple[int, str]]] = {}
    raw: list[tuple[int, regex.Pattern]] = []
    for i, t in enumerate(triggers):
        if t.pattern.startswith("re:"):
            raw.append((i, regex.compile(pattern_regex(t.pattern, mode), flags)))
            continue
        src = pattern_regex(t.pattern, "word" if mode == "word" else mode)
        if mode == "word":
            src = src[len(r"(?<!\w)") :]
        elif mode == "arabic":
            src = src[src.index("(?:ال)?") + len("(?:ال)?") :]
        first = t.pattern.split()[0].rstrip("*").lower()
        if mode == "arabic":
            first = _AR_MARK_RE.sub("", first)  # the text side strips short vowels too
        sources.setdefault(first[:3], []).append((i, src))
    # One alternation per key, most specific first: at a position the regex returns the
    # first alternative that matches, which is the candidate find_triggers would keep.
    index = {key: "|".join(f"(?P<t{i}>{src})" for i, src in sorted(alts))
             for key, alts in sources.items()}
    key_lengths = tuple(sorted({len(k) for k in index}))
    # In word mode a start must follow a character that is no ASCII letter/digit (lower-casing
    # turns no other character into one, apart from the Kelvin sign K, itself a word character);
    # the scan consumes that character, so `re` can skip along words quickly (see _starts). The
    # exact word-start test is left to find_triggers.
    prefilter = _literal_scan(
        [t.pattern for t in triggers if not t.pattern.startswith("re:")],
        mode,
        "[^0-9a-z_]" if mode == "word" else "",
    )
    cues: dict[str, regex.Pattern] = {}
    after: dict[str, regex.Pattern] = {}
    before: dict[str, regex.Pattern] = {}
    cue_end: dict[str, regex.Pattern] = {}
    cue_gates: dict[str, re.Pattern] = {}
    for cls in CUE_CLASSES:
        pats = sorted({r.pattern for r in rows if r.code == cls}, key=len, reverse=True)
        if not pats:
            continue
        if cls.endswith("_suffix"):
            cue_end[cls] = regex.compile("(?:" + "|".join(regex.escape(p) for p in pats) + ")$")
            continue
        alt = "|".join(pattern_regex(p, mode) for p in pats)
        cues[cls] = regex.compile(alt, flags)
        gate = _literal_scan(pats, mode)
        if gate is not None:
            cue_gates[cls] = gate
        # After a span: optional parenthetical gloss "(Russian President Putin)" then the cue.
        tail = r"(?!\w)" if mode != "substring" else ""
        after[cls] = regex.compile(
            r"\s*(?:[(（][^()（）]{0,80}[)）]\s*)?(?:" + alt + ")" + tail, flags
        )
        before[cls] = regex.compile(r"(?:" + alt + r")\s*" + _ARTICLES + "$", flags)
    gated_topics = {cls for cls in cue_gates if cls.startswith(_TOPICS)}
    if gated_topics:
        gate = _literal_scan([r.pattern for r in rows if r.code in gated_topics], mode)
        if gate is not None:
            cue_gates[_TOPICS] = gate
    return Lexicon(
        lang,
        mode,
        order,
        triggers,
        trig_re,
        cues,
        after,
        before,
        header,
        cue_end,
        index,
        key_lengths,
        raw,
        prefilter,
        cue_gates,
    )


@functools.lru_cache(maxsize=1)
def cameo_codes() -> dict[str, CameoCode]:
    """CAMEO code table from data/cameo.tsv."""
    out: dict[str, CameoCode] = {}
    for line in (DATA_DIR / "cameo.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        code, name, quad, gold = cols[0], cols[1], int(cols[2]), float(cols[3])
        plover = cols[4].strip() if len(cols) > 4 and cols[4].strip() else None
        out[code] = CameoCode(code, name, quad, gold, plover)
    return out


def describe_code(code: str) -> CameoCode:
    """Look up a code, falling back to its base and root entries."""
    table = cameo_codes()
    for k in (code, code[:3], code[:2]):
        if k in table:
            c = table[k]
            return CameoCode(code, c.name, c.quad_class, c.goldstein, c.plover)
    raise KeyError(code)
