"""Multilingual date cues for event coding: find date expressions, resolve a sentence's event date.

Language knowledge lives in ``data/dates/<lang>.json`` (month/weekday names with their inflected and
abbreviated forms, relative expressions, tense markers, eras); this module only holds the generic
machinery, so a linguist can extend a language without touching code. See ``data/dates/README.md``.

Text is folded 1:1 before matching (every Unicode decimal digit -> ASCII, Arabic-script letter
variants -> one form), so match offsets are offsets in the caller's text.

Resolution rules (news reports past events):
- a weekday is the most recent such day on or before the publication date; with a "next" marker
  ("next Friday", "अगले शुक्रवार") the first one after it, with a "last" marker the last one before it,
  with future-tense context ("will meet on Friday") the first one on or after it;
- a day+month without year takes the year giving the nearest past occurrence when that lies within
  ~6 months, else the next occurrence (also when future context is present);
- a month without year: the latest past occurrence, or the next one in future-tense context;
- "last week"/"this week"/"next week" -> month precision of published -7/0/+7 days; "over the
  weekend" -> month precision of the latest Saturday (the next one for "next weekend").

``resolve_event_date`` picks one cue: cues dated on/before publication beat later ones, then by kind
explicit day > weekday > relative day > explicit day more than ~2 months old (a background date) >
month > year, then the one nearest ``near`` (an optional char offset of the event trigger) or else
the earliest in the sentence (news leads put the main event first).

An unknown language (None, "und", a code without a data file) uses all lexicons merged, minus the
forms that are ordinary words elsewhere (short Latin relative words, suffix-based tense patterns).
"""

from __future__ import annotations

import datetime
import functools
import json
import pathlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import regex

from pipeline.events.trie import literal_trie

__all__ = ["DateCue", "find_date_cues", "resolve_event_date", "supported_languages"]

DATA_DIR = pathlib.Path(__file__).with_name("data") / "dates"
ANY_LANG = "*"
_HALF_YEAR_DAYS = 183
_DIGIT = re.compile(r"\d")
_ASCII_DIGIT = re.compile(r"[0-9]")
_NUMERIC_DATE = re.compile(r"\d[-/.]\d")
_GLUE = re.compile(r"\s*(?:の|的|,)?\s*")


@dataclass(frozen=True, slots=True)
class DateCue:
    """One date expression found in a text, resolved to an ISO value."""

    start: int
    end: int
    text: str  # char offsets in the given text
    value: str  # 'YYYY-MM-DD' | 'YYYY-MM' | 'YYYY'
    precision: str  # 'day' | 'month' | 'year'
    kind: str  # 'explicit' | 'weekday' | 'relative'


# ---------------------------------------------------------------- text folding (length preserving)

_DIGIT_BLOCKS = (
    0x0660,
    0x06F0,
    0x07C0,
    0x0966,
    0x09E6,
    0x0A66,
    0x0AE6,
    0x0B66,
    0x0BE6,
    0x0C66,
    0x0CE6,
    0x0D66,
    0x0E50,
    0x0ED0,
    0x0F20,
    0x1040,
    0x17E0,
    0x1810,
    0xFF10,
)
_FOLD: dict[int, str] = {base + i: str(i) for base in _DIGIT_BLOCKS for i in range(10)}
_FOLD.update({ord(c): "ی" for c in "يىې"})
_FOLD.update({ord(c): "ک" for c in "ك"})
_FOLD.update({ord(c): "ا" for c in "أإآٱ"})
_FOLD.update({ord(c): "ہ" for c in "هةۀە"})
_FOLD.update({ord(c): "ؤ" for c in "ۄ"})
_FOLD[0x2019] = "'"  # typographic apostrophe (aujourd’hui)
_FOLD[0x00A0] = " "
_FOLD[0x202F] = " "


_FOLDED_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")


def fold(text: str) -> str:
    """Length-preserving normalisation: native digits to ASCII, Arabic-script letter variants
    merged."""
    # translate() looks every character up in a dict; most texts have nothing to fold
    return text.translate(_FOLD) if _FOLDED_CHARS.search(text) else text


# Indic nukta letters exist precomposed (U+095E फ़) and decomposed (फ + ़); texts use both.
_NUKTA_PAIRS = {
    "\u0958": "\u0915\u093c",
    "\u0959": "\u0916\u093c",
    "\u095a": "\u0917\u093c",
    "\u095b": "\u091c\u093c",
    "\u095c": "\u0921\u093c",
    "\u095d": "\u0922\u093c",
    "\u095e": "\u092b\u093c",
    "\u095f": "\u092f\u093c",
    "\u09dc": "\u09a1\u09bc",
    "\u09dd": "\u09a2\u09bc",
    "\u09df": "\u09af\u09bc",
}
_NUKTA_DECOMPOSE = str.maketrans(_NUKTA_PAIRS)
_NUKTA_LETTERS = re.compile("[" + "".join(_NUKTA_PAIRS) + "]")


def _decompose_nukta(text: str) -> str:
    return text.translate(_NUKTA_DECOMPOSE) if _NUKTA_LETTERS.search(text) else text


def _nukta_variants(form: str) -> set[str]:
    decomposed = form.translate(_NUKTA_DECOMPOSE)
    composed = decomposed
    for single, pair in _NUKTA_PAIRS.items():
        composed = composed.replace(pair, single)
    return {form, decomposed, composed}


def _key(form: str) -> str:
    return _decompose_nukta(fold(form)).casefold()


# ---------------------------------------------------------------- Chinese numerals

_CJK_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CJK_NUM = "[〇零○一二两三四五六七八九十]"


def _number(token: str) -> int:
    """ASCII digits or Chinese numerals (十二 = 12, 三十一 = 31, 二〇二二 = 2022) to int."""
    if token.isascii():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (_CJK_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _CJK_DIGITS.get(ones, 0) if ones else 0
        )
    value = 0
    for ch in token:
        value = value * 10 + _CJK_DIGITS[ch]
    return value


# ---------------------------------------------------------------- language data


def supported_languages() -> list[str]:
    """Language codes with a data file."""
    return sorted(p.stem for p in DATA_DIR.glob("*.json"))


@functools.cache
def _load(lang: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / f"{lang}.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=256)
def _norm_lang(lang: str | None) -> str:
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if code in {"zh", "cmn", "yue"}:
        return "zh"
    if code and (DATA_DIR / f"{code}.json").exists():
        return code
    return ANY_LANG


def _merged_data() -> dict[str, Any]:
    """All languages' lexicons in one: used for an unknown or undetected language."""
    merged: dict[str, Any] = {
        "lang": ANY_LANG,
        "months": [[] for _ in range(12)],
        "month_abbr": [[] for _ in range(12)],
        "weekdays": [[] for _ in range(7)],
        "relative_days": {},
        "relative_periods": {},
        "anchored": {},
        "ago": [],
        "number_words": {},
        "ago_words": [],
        "day_only_before": [],
        "weekday_next": [],
        "weekday_last": [],
        "year_before": [],
        "year_after": [],
        "day_words": {},
        "eras": {},
        "month_alone": {"free": False, "before": [], "after": []},
        "weekday_ambiguous": {"forms": [], "before": [], "after": []},
        "cjk": {"year": "年|년", "month": "月|월", "day": "日|号|일"},
        "numeric_order": "DMY",
        "formats": ["DMY", "MDY"],
    }
    suffixes: list[str] = []
    day_suffixes: set[str] = set()
    futures: dict[str, list[str]] = {"future_before": [], "future_after": []}
    for code in supported_languages():
        d = _load(code)
        for key in ("months", "month_abbr", "weekdays"):
            for i, forms in enumerate(d.get(key, [])):
                merged[key][i].extend(forms)
        for key in (
            "relative_days",
            "relative_periods",
            "anchored",
            "number_words",
            "day_words",
            "eras",
        ):
            merged[key].update(d.get(key, {}))
        for key in (
            "ago",
            "ago_words",
            "weekday_next",
            "weekday_last",
            "year_before",
            "year_after",
            "day_only_before",
        ):
            merged[key].extend(d.get(key, []))
        alone = d.get("month_alone", {})
        merged["month_alone"]["before"].extend(alone.get("before", []))
        merged["month_alone"]["after"].extend(alone.get("after", []))
        day_suffixes.update(x for x in d.get("day_suffix", "").split("|") if x)
        for key in ("future_before", "future_after"):
            if d.get(key) and not re.search(
                r"\\w[+*]", d[key]
            ):  # suffix patterns misfire elsewhere
                futures[key].append(f"(?:{d[key]})")
        if d.get("weekday_suffix"):
            suffixes.append(d["weekday_suffix"])
        amb = d.get("weekday_ambiguous", {})
        for key in ("forms", "before", "after"):
            merged["weekday_ambiguous"][key].extend(amb.get(key, []))
    merged["weekday_suffix"] = "(?:" + "|".join(suffixes) + ")" if suffixes else ""
    merged["day_suffix"] = "|".join(sorted(day_suffixes, key=len, reverse=True))
    merged.update({key: "|".join(parts) for key, parts in futures.items()})
    # short Latin words are ordinary words elsewhere (fr "hier" = de "here", de "morgen" = tomorrow
    # or morning)
    merged["relative_days"] = {
        k: v
        for k, v in merged["relative_days"].items()
        if not (k.isascii() and " " not in k and len(k) <= 4) and k.casefold() != "morgen"
    }
    merged["day_month_sep"] = r"\s*(?:(?:de|of|من)\s+)?(?:شهر\s+)?"
    merged["month_year_sep"] = r"\s*(?:,|،|de|del|عام|سنة|năm|/)?\s*"
    # short or undotted forms are too ambiguous without knowing the language ("مه", "Mar", "Des")
    merged["months"] = [[f for f in forms if len(f) > 2] for forms in merged["months"]]
    merged["month_abbr"] = [[f for f in forms if f.endswith(".")] for forms in merged["month_abbr"]]
    return merged


def _alt(forms: Iterable[str], boundary: bool, suffix: str = "", prefix: str = "") -> str:
    """Regex alternation of literal forms, longest first, with word boundaries where meaningful.

    ``prefix``: clitics that may be glued before the word (Arabic و/ب/ل…), left out of the match.
    ``suffix``: inflection endings that may follow the word (Bengali -এ/-তে…), kept in the match.
    """
    uniq = sorted({v for f in forms if f for v in _nukta_variants(fold(f))}, key=len, reverse=True)
    if not uniq:
        return "(?!x)x"
    parts = []
    for f in uniq:
        p = regex.escape(f)
        if boundary and regex.match(r"\w", f[-1:]):
            p += suffix + r"(?!\w)"
        parts.append(p)
    body = "|".join(parts)
    if not boundary:
        return "(?:" + body + ")"
    left = f"(?:(?<!\\w)|(?<=(?<!\\w)(?:{prefix})))" if prefix else "(?<!\\w)"
    return left + "(?:" + body + ")"


def _lookup(table: dict[str, int], token: str) -> int | None:
    """Exact form, else the longest known form the token starts with (inflected/suffixed forms)."""
    key = _key(token)
    if key in table:
        return table[key]
    best = max((k for k in table if key.startswith(k)), key=len, default=None)
    return table[best] if best is not None else None


@dataclass(slots=True)
class _Lexicon:
    """Compiled patterns and lookup tables for one language."""

    lang: str
    data: dict[str, Any]
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    relative_days: dict[str, Any]
    relative_periods: dict[str, list[Any]]
    anchored: dict[str, int]
    number_words: dict[str, int]
    day_words: dict[str, int]
    eras: dict[str, int]
    ambiguous_weekdays: frozenset[str]
    day_month_prefix: tuple[
        tuple[str, int], ...
    ]  # CJK "上月"/"先月" before a bare day: month offset
    numeric_order: str
    gates: dict[
        str, re.Pattern[str] | None
    ]  # family -> literal forms (casefolded); hit = run family
    any_gate: re.Pattern[str] | None  # all families' forms: most texts have none
    explicit: list[tuple[str, regex.Pattern[str]]]
    month_alone: regex.Pattern[str] | None
    weekday: regex.Pattern[str] | None
    relative: regex.Pattern[str] | None
    ago: regex.Pattern[str] | None
    ago_units: tuple[str, ...]
    year_ctx: regex.Pattern[str] | None
    next_before: regex.Pattern[str] | None
    next_after: regex.Pattern[str] | None
    last_before: regex.Pattern[str] | None
    last_after: regex.Pattern[str] | None
    amb_before: regex.Pattern[str] | None
    amb_after: regex.Pattern[str] | None
    future_before: regex.Pattern[str] | None
    future_after: regex.Pattern[str] | None
    clause_break: regex.Pattern[str]


def _opt(pattern: str | None, flags: int = regex.IGNORECASE) -> regex.Pattern[str] | None:
    return regex.compile(pattern, flags) if pattern else None


@functools.cache
def _lexicon(lang: str) -> _Lexicon:
    d = _merged_data() if lang == ANY_LANG else _load(lang)
    boundary = d.get("word_boundaries", True)
    cs = "(?-i:{})"  # case-sensitive scope
    month_forms = [f for forms in d.get("months", []) for f in forms]
    abbr_forms = [f for forms in d.get("month_abbr", []) for f in forms]
    month_of: dict[str, int] = {}
    for key in ("months", "month_abbr"):
        for i, forms in enumerate(d.get(key, [])):
            for f in forms:
                month_of.setdefault(_key(f), i + 1)
    weekday_of = {_key(f): i for i, forms in enumerate(d.get("weekdays", [])) for f in forms}
    suffix = d.get("word_suffix", "")
    prefix = d.get("word_prefix", "")
    month_alt = _alt(month_forms + abbr_forms, boundary, suffix, prefix)
    full_month_alt = _alt(month_forms, boundary, suffix, prefix)
    if d.get("months_case_sensitive"):
        month_alt, full_month_alt = cs.format(month_alt), cs.format(full_month_alt)
    month_alt = f"(?P<m>{month_alt})" + r"(?:\s*/\s*" + month_alt + ")?"
    day_words = {_key(k): v for k, v in d.get("day_words", {}).items()}
    day_word_alt = "|" + _alt(d.get("day_words", {}).keys(), boundary) if day_words else ""
    day = r"(?P<d>(?<![\d.,:/])(?:3[01]|[12]\d|0?[1-9])(?!\d)" + day_word_alt + ")"
    day_suffix = d.get("day_suffix", "")
    year = r"(?P<y>(?<![\d.,:/])(?:1[89]\d\d|20\d\d)(?![\d]|[.,:]\d|\s*%|[sS](?!\w)))"
    dm_sep = d.get("day_month_sep", r"\s*")
    my_sep = d.get("month_year_sep", r"\s*,?\s*")
    explicit: list[tuple[str, regex.Pattern[str]]] = []
    flags = regex.IGNORECASE | regex.V0
    formats = d.get("formats", ["DMY"])
    if "DMY" in formats:
        explicit.append(
            (
                "dmy",
                regex.compile(
                    day + f"(?:{day_suffix})?" + dm_sep + month_alt + f"(?:{my_sep}" + year + ")?",
                    flags,
                ),
            )
        )
    if "MDY" in formats:
        explicit.append(
            (
                "mdy",
                regex.compile(
                    month_alt
                    + r"\s*"
                    + day
                    + f"(?:{day_suffix})?"
                    + r"(?!\s*[:.]\d)"
                    + f"(?:{my_sep}"
                    + year
                    + ")?",
                    flags,
                ),
            )
        )
    explicit.append(("my", regex.compile(month_alt + my_sep + year, flags)))
    # numeric: ISO y-m-d, and d/m/y or m/d/y with a four-digit year
    explicit.append(
        (
            "iso",
            regex.compile(
                r"(?<![\d.,:/-])(?P<y>(?:19|20)\d\d)(?P<s>[-/.])(?P<a>0?[1-9]|1[0-2])(?P=s)(?P<b>0?[1-9]|[12]\d|3[01])(?![\d]|[.,:/-]\d)"
            ),
        )
    )
    explicit.append(
        (
            "num",
            regex.compile(
                r"(?<![\d.,:/-])(?P<a>0?[1-9]|[12]\d|3[01])(?P<s>[/.-])(?P<b>0?[1-9]|[12]\d|3[01])(?P=s)(?P<y>(?:19|20)\d\d)(?![\d]|[.,:/-]\d)"
            ),
        )
    )
    dm_sep = d.get("numeric_day_month")
    if dm_sep == "/":  # "(30/12)", "ngày 30/12": day/month without a year
        explicit.append(
            (
                "dm",
                regex.compile(
                    r"(?<![\d.,:/-])(?P<a>0?[1-9]|[12]\d|3[01])/(?P<b>0?[1-9]|1[0-2])(?![\d]|[.,:/-]\d)"
                ),
            )
        )
    elif dm_sep == ".":  # German "am 30.12." (the trailing dot is required)
        explicit.append(
            (
                "dm",
                regex.compile(
                    r"(?<=(?<!\w)(?:am|vom|zum|bis|seit|dem|den|Am|Vom|Seit|Bis)\s+)"
                    r"(?P<a>0?[1-9]|[12]\d|3[01])\.(?P<b>0?[1-9]|1[0-2])\.(?![\d]|\s*\d)"
                ),
            )
        )
    day_prefix = d.get("day_only_before", [])
    if day_prefix:  # "no dia 27", "el día 27": a day of the current (or previous) month
        explicit.append(
            (
                "dayonly",
                regex.compile(
                    f"(?<={_alt(day_prefix, boundary)}\\s+)"
                    r"(?P<d>(?:3[01]|[12]\d|0?[1-9]))(?![\d]|[.,:/-]\d)",
                    flags,
                ),
            )
        )
    jalali = d.get("months_jalali")
    if jalali:  # Persian solar hijri dates: "۱۰ دی ۱۴۰۱"
        j_alt = _alt([f for forms in jalali for f in forms], boundary, suffix, prefix)
        explicit.append(
            (
                "jdmy",
                regex.compile(
                    day + r"\s*(?P<m>" + j_alt + r")(?:\s*(?:ماه)?\s*(?P<y>1[34]\d\d)(?!\d))?",
                    flags,
                ),
            )
        )
        explicit.append(
            (
                "jmy",
                regex.compile(r"(?P<m>" + j_alt + r")\s*(?:ماه)?\s*(?P<y>1[34]\d\d)(?!\d)", flags),
            )
        )
        for i, forms in enumerate(jalali):
            for f in forms:
                month_of.setdefault("j:" + _key(f), i + 1)
    cjk = d.get("cjk")
    if cjk:
        num = rf"(?:\d{{1,4}}|{_CJK_NUM}{{1,4}})"
        era_alt = _alt(d.get("eras", {}).keys(), False)
        era_year = rf"(?P<era>{era_alt})\s*(?P<ey>\d{{1,3}}|{_CJK_NUM}{{1,4}}|元)"
        y = rf"(?:{era_year}|(?P<y>{num}))\s*(?:{cjk['year']})"
        m = rf"(?P<m>{num})\s*(?:{cjk['month']})"
        dd = rf"(?P<d>{num})\s*(?:{cjk['day']})"
        not_after = r"(?<![\d第上下每前近个個数])"
        tail = r"(?![間间前内後后以来간])"
        explicit.append(
            (
                "cjk",
                regex.compile(
                    not_after + rf"(?:{y}\s*(?:{m}\s*(?:{dd})?)?|{m}\s*(?:{dd})?|{dd})" + tail
                ),
            )
        )
    # month alone needs context unless the language's month names are unambiguous
    alone = d.get("month_alone", {})
    if alone.get("free"):
        ma = "(?P<m>" + full_month_alt + ")"
    else:
        before = _alt(alone.get("before", []), boundary)
        after = _alt(alone.get("after", []), boundary)
        ma = (
            f"(?:(?<={before}\\s*)(?P<m>{full_month_alt})|(?P<m>{full_month_alt})(?=\\s*{after}))"
            if alone.get("before") or alone.get("after")
            else ""
        )
    month_alone = regex.compile(ma, flags) if ma and month_forms else None
    wd_forms = [f for forms in d.get("weekdays", []) for f in forms]
    wd_alt = _alt(wd_forms, boundary, d.get("weekday_suffix", ""), prefix)
    if d.get("weekdays_case_sensitive"):
        wd_alt = cs.format(wd_alt)
    weekday = regex.compile(f"(?P<w>{wd_alt})", flags) if wd_forms else None
    amb = d.get("weekday_ambiguous", {})
    rel_forms = (
        list(d.get("relative_days", {}))
        + list(d.get("relative_periods", {}))
        + list(d.get("anchored", {}))
    )
    relative = (
        regex.compile(f"(?P<r>{_alt(rel_forms, boundary, suffix, prefix)})", flags)
        if rel_forms
        else None
    )
    number_words = {_key(k): v for k, v in d.get("number_words", {}).items()}
    n_alt = (
        r"(?P<n>\d{1,3}"
        + ("|" + _alt(d.get("number_words", {}).keys(), boundary) if number_words else "")
        + ")"
    )
    ago_specs = d.get("ago", [])
    ago = (
        regex.compile(
            "|".join(
                f"(?P<a{i}>" + p.replace("{n}", n_alt.replace("?P<n>", f"?P<n{i}>")) + ")"
                for i, (p, _unit) in enumerate(ago_specs)
            ),
            flags,
        )
        if ago_specs
        else None
    )
    yb, ya = d.get("year_before", []), d.get("year_after", [])
    year_ctx_parts = []
    if yb:
        year_ctx_parts.append(f"(?<={_alt(yb, boundary)}\\s*){year}")
    if ya:
        year_ctx_parts.append(f"{year}(?=\\s*{_alt(ya, boundary)})")
    year_ctx = regex.compile("|".join(year_ctx_parts), flags) if year_ctx_parts else None

    def near_before(words: list[str]) -> str | None:
        return f"{_alt(words, boundary)}\\s*$" if words else None

    def near_after(words: list[str]) -> str | None:
        return f"^\\s*{_alt(words, boundary)}" if words else None

    def gate_keys(forms: Iterable[str]) -> set[str]:
        return {_key(f).rstrip(".") for f in forms if f.strip()}

    family_keys = {
        "month": gate_keys(month_forms + abbr_forms + list(d.get("day_words", {}))),
        "weekday": gate_keys(wd_forms),
        "relative": gate_keys(rel_forms),
        "ago": gate_keys(d.get("ago_words", [])),
        "cjk": gate_keys(ch for part in (cjk or {}).values() for ch in part.split("|")),
    }
    gates = {
        name: re.compile(literal_trie(keys)) if keys else None
        for name, keys in family_keys.items()
    }
    all_keys = set().union(*family_keys.values())
    return _Lexicon(
        lang=lang,
        data=d,
        month_of=month_of,
        weekday_of=weekday_of,
        relative_days={_key(k): v for k, v in d.get("relative_days", {}).items()},
        relative_periods={_key(k): v for k, v in d.get("relative_periods", {}).items()},
        anchored={_key(k): v for k, v in d.get("anchored", {}).items()},
        number_words=number_words,
        day_words=day_words,
        eras={fold(k): v for k, v in d.get("eras", {}).items()},
        ambiguous_weekdays=frozenset(_key(f) for f in amb.get("forms", [])),
        day_month_prefix=tuple(
            sorted(
                (
                    (fold(k), v[1])
                    for k, v in d.get("relative_periods", {}).items()
                    if v[0] == "month"
                ),
                key=lambda kv: -len(kv[0]),
            )
        )
        if cjk
        else (),
        numeric_order=d.get("numeric_order", "DMY"),
        gates=gates,
        any_gate=re.compile(literal_trie(all_keys)) if all_keys else None,
        explicit=explicit,
        month_alone=month_alone,
        weekday=weekday,
        relative=relative,
        ago=ago,
        ago_units=tuple(unit for _p, unit in ago_specs),
        year_ctx=year_ctx,
        next_before=_opt(near_before(d.get("weekday_next", []))),
        next_after=_opt(near_after(d.get("weekday_next", []))),
        last_before=_opt(near_before(d.get("weekday_last", []))),
        last_after=_opt(near_after(d.get("weekday_last", []))),
        amb_before=_opt(near_before(amb.get("before", []))),
        amb_after=_opt(near_after(amb.get("after", []))),
        future_before=_opt(d.get("future_before")),
        future_after=_opt(d.get("future_after")),
        clause_break=regex.compile(d.get("clause_break", r"[.;:!?।؛。！？]|\s(?:that|said)\s")),
    )


# ---------------------------------------------------------------- calendar helpers


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _safe_date(y: int, m: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def _day_month(
    published: datetime.date, month: int, day: int, future: bool
) -> datetime.date | None:
    """Year for a day+month without year: nearest past within ~6 months, else the next one."""
    past = next_ = None
    for y in (published.year - 1, published.year, published.year + 1):
        cand = _safe_date(y, month, day)
        if cand is None:
            continue
        if cand <= published:
            past = cand
        elif next_ is None:
            next_ = cand
    if future and next_ is not None:
        return next_
    if past is not None and ((published - past).days <= _HALF_YEAR_DAYS or next_ is None):
        return past
    return next_


def _month_only(published: datetime.date, month: int, future: bool) -> tuple[int, int]:
    """Month without year: the latest past occurrence (this month included), the next one when the
    context is future tense."""
    back = (published.month - month) % 12
    if future and back:
        return _add_months(published.year, published.month, 12 - back)
    return _add_months(published.year, published.month, -back)


def _weekday(published: datetime.date, weekday: int, mode: str) -> datetime.date:
    """mode: 'past' on/before, 'last' strictly before, 'next' strictly after, 'future' on/after."""
    back = (published.weekday() - weekday) % 7
    if mode == "past":
        return published - datetime.timedelta(days=back)
    if mode == "last":
        return published - datetime.timedelta(days=back or 7)
    ahead = (weekday - published.weekday()) % 7
    if mode == "next":
        return published + datetime.timedelta(days=ahead or 7)
    return published + datetime.timedelta(days=ahead)


_JALALI_EPOCH = datetime.date(622, 3, 21).toordinal()  # 1 Farvardin 1 (proleptic Gregorian)


def _jalali_days_before_year(jy: int) -> int:
    """Days from 1/1/1 to 1/1/jy in the 33-year-cycle arithmetic used by Iranian software."""
    years = jy - 1
    return 365 * years + (8 * years + 29) // 33


def _jalali_to_gregorian(jy: int, jm: int, jd: int) -> datetime.date:
    days = (
        _jalali_days_before_year(jy) + (31 * (jm - 1) if jm <= 7 else 186 + 30 * (jm - 7)) + jd - 1
    )
    return datetime.date.fromordinal(_JALALI_EPOCH + days)


def _gregorian_to_jalali(d: datetime.date) -> tuple[int, int, int]:
    days = d.toordinal() - _JALALI_EPOCH
    jy = days * 33 // 12053 + 1
    while _jalali_days_before_year(jy + 1) <= days:
        jy += 1
    while _jalali_days_before_year(jy) > days:
        jy -= 1
    rest = days - _jalali_days_before_year(jy)
    jm = rest // 31 + 1 if rest < 186 else (rest - 186) // 30 + 7
    jd = rest - (31 * (jm - 1) if jm <= 7 else 186 + 30 * (jm - 7)) + 1
    return jy, jm, jd


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


# ---------------------------------------------------------------- matching

_RANK_KIND = {"explicit": 0, "weekday": 1, "relative": 2}
_RANK_OLD_DAY = (
    3  # explicit day long before publication: background ("since the Feb. 24, 2022 invasion")
)
_RANK_PRECISION = {"day": 0, "month": 4, "year": 5}
_OLD_DAYS = 62


class _Finder:
    """Collects raw candidate spans for one text; values are computed after overlap resolution."""

    def __init__(
        self,
        lex: _Lexicon,
        original: str,
        folded: str,
        published: datetime.date | None,
        anchor: datetime.date | Callable[[], datetime.date | None] | None,
    ) -> None:
        self.lex, self.text, self.f, self.pub, self.anchor = (
            lex,
            original,
            folded,
            published,
            anchor,
        )
        self.cands: list[tuple[int, int, int, Any]] = []  # (start, end, priority, builder)

    def anchor_date(self) -> datetime.date | None:
        """The anchor; given as a function, it is called on first use only."""
        if callable(self.anchor):
            self.anchor = self.anchor()
        return self.anchor

    def add(self, start: int, end: int, prio: int, build: Any) -> None:
        if end > start:
            self.cands.append((start, end, prio, build))

    def future_context(self, start: int, end: int) -> bool:
        lex, f = self.lex, self.f
        if lex.future_before is not None:
            window = f[max(0, start - 100) : start]
            cut = list(lex.clause_break.finditer(window))
            if cut:
                window = window[cut[-1].end() :]
            if lex.future_before.search(window):
                return True
        if lex.future_after is not None:
            window = f[end : end + 60]
            cut = lex.clause_break.search(window)
            if cut:
                window = window[: cut.start()]
            if lex.future_after.search(window):
                return True
        return False

    def marker(
        self,
        start: int,
        end: int,
        before: regex.Pattern[str] | None,
        after: regex.Pattern[str] | None,
    ) -> bool:
        if before is not None and before.search(self.f[max(0, start - 25) : start]):
            return True
        return after is not None and bool(after.search(self.f[end : end + 25]))


def _day_value(lex: _Lexicon, token: str) -> int:
    k = _key(token)
    return lex.day_words[k] if k in lex.day_words else _number(token)


def _collect(fd: _Finder, on: dict[str, bool]) -> None:
    """Run the pattern families whose cheap gate fired; add raw candidates to ``fd``."""
    lex, f, pub = fd.lex, fd.f, fd.pub
    # a day or year in a month-name date is written in ASCII digits (native ones are folded),
    # the day only also as a word ("primero")
    numbered = _ASCII_DIGIT.search(f) is not None
    for name, pat in lex.explicit:
        if not on["month" if name in ("dmy", "mdy", "my") else "cjk" if name == "cjk" else "digit"]:
            continue
        if name in ("dmy", "mdy", "my") and not numbered and (name == "my" or not lex.day_words):
            continue
        if name in ("iso", "num", "dm") and not _NUMERIC_DATE.search(f):
            continue
        for m in pat.finditer(f):
            s, e = m.span()
            if name in ("dmy", "mdy"):
                month = _lookup(lex.month_of, m.group("m"))
                if month is None:
                    continue
                day = _day_value(lex, m.group("d"))
                y = m.group("y")
                fd.add(s, e, 0, ("md", month, day, int(y) if y else None))
            elif name == "my":
                month = _lookup(lex.month_of, m.group("m"))
                if month is not None:
                    fd.add(s, e, 1, ("ym", int(m.group("y")), month))
            elif name == "iso":
                fd.add(s, e, 0, ("md", int(m.group("a")), int(m.group("b")), int(m.group("y"))))
            elif name == "num":
                a, b = int(m.group("a")), int(m.group("b"))
                if a > 12 or (b <= 12 and lex.numeric_order == "DMY"):
                    a, b = b, a  # now a = month, b = day
                if a > 12:
                    continue
                fd.add(s, e, 0, ("md", a, b, int(m.group("y"))))
            elif name == "dayonly":
                fd.add(s, e, 0, ("d", int(m.group("d")), 0))
            elif name == "dm":
                a, b = int(m.group("a")), int(m.group("b"))
                fd.add(s, e, 0, ("md", b, a, None))
            elif name in ("jdmy", "jmy"):
                jm = _lookup(
                    {k[2:]: v for k, v in lex.month_of.items() if k.startswith("j:")}, m.group("m")
                )
                if jm is None:
                    continue
                jy = int(m.group("y")) if m.group("y") else None
                if name == "jmy":
                    assert jy is not None
                    g = _jalali_to_gregorian(jy, jm, 15)
                    fd.add(s, e, 1, ("ym", g.year, g.month))
                else:
                    fd.add(s, e, 0, ("jmd", jm, _day_value(lex, m.group("d")), jy))
            elif name == "cjk":
                _cjk_candidate(fd, m)
    if lex.month_alone is not None and on["month"]:
        for m in lex.month_alone.finditer(f):
            month = _lookup(lex.month_of, m.group("m"))
            if month is not None:
                fd.add(m.start("m"), m.end("m"), 3, ("mo", month))
    if lex.weekday is not None and pub is not None and on["weekday"]:
        for m in lex.weekday.finditer(f):
            s, e = m.start("w"), m.end("w")
            key = _key(m.group("w"))
            wd = _lookup(lex.weekday_of, key)
            if wd is None:
                continue
            if key in lex.ambiguous_weekdays and not fd.marker(s, e, lex.amb_before, lex.amb_after):
                continue
            fd.add(s, e, 1, ("wd", wd))
    if lex.relative is not None and on["relative"]:
        for m in lex.relative.finditer(f):
            fd.add(m.start("r"), m.end("r"), 2, ("rel", _rel_key(lex, m.group("r"))))
    if pub is not None and lex.ago is not None and on["ago"]:
        for m in lex.ago.finditer(f):
            i = int(m.lastgroup[1:])  # type: ignore[index]
            tok = m.group(f"n{i}")
            n = lex.number_words.get(_key(tok)) if not tok.isdigit() else int(tok)
            if n is not None:
                fd.add(m.start(), m.end(), 1, ("ago", n, lex.ago_units[i]))
    if lex.year_ctx is not None and on["digit"]:
        for m in lex.year_ctx.finditer(f):
            fd.add(m.start("y"), m.end("y"), 4, ("y", int(m.group("y"))))


def _rel_key(lex: _Lexicon, token: str) -> str:
    key = _key(token)
    if key in lex.relative_days or key in lex.relative_periods or key in lex.anchored:
        return key
    known = [*lex.relative_days, *lex.relative_periods, *lex.anchored]
    return max((k for k in known if key.startswith(k)), key=len, default=key)


def _cjk_candidate(fd: _Finder, m: regex.Match[str]) -> None:
    lex = fd.lex
    y = None
    if m.group("era"):
        base = lex.eras.get(m.group("era"))
        if base is None:
            return
        ey = m.group("ey")
        y = base + (1 if ey == "元" else _number(ey))
    elif m.group("y"):
        y = _number(m.group("y"))
        if not 1800 <= y <= 2100:
            return
    month = _number(m.group("m")) if m.group("m") else None
    day = _number(m.group("d")) if m.group("d") else None
    if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
        return
    s, e = m.span()
    if month is not None and day is not None:
        fd.add(s, e, 0, ("md", month, day, y))
    elif day is not None:
        offset = 0
        before = fd.f[max(0, s - 6) : s]
        for form, off in lex.day_month_prefix:
            if before.endswith(form) or before.rstrip().endswith(form):
                offset = off
                break
        fd.add(s, e, 0, ("d", day, offset))
    elif month is not None:
        fd.add(s, e, 1 if y else 3, ("ym", y, month) if y else ("mo", month))
    elif y is not None:
        fd.add(s, e, 4, ("y", y))


def _select(cands: list[tuple[int, int, int, Any]]) -> list[tuple[int, int, int, Any]]:
    """Non-overlapping spans: longest first, then higher priority (lower number), then leftmost."""
    chosen: list[tuple[int, int, int, Any]] = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        if all(c[1] <= o[0] or c[0] >= o[1] for o in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def _build(
    fd: _Finder, s: int, e: int, spec: tuple[Any, ...], prev_day: datetime.date | None
) -> DateCue | None:
    lex, pub, text = fd.lex, fd.pub, fd.text
    kind, value, precision = "explicit", None, "day"
    tag = spec[0]
    if tag == "md":
        _, month, day, year = spec
        if year is not None:
            dt = _safe_date(year, month, day)
        elif pub is not None:
            dt = _day_month(pub, month, day, fd.future_context(s, e))
        else:
            dt = None
        value = dt.isoformat() if dt else None
    elif tag == "jmd":
        _, jm, jd, jy = spec
        if jy is not None:
            dt = _jalali_to_gregorian(jy, jm, jd)
        elif pub is not None:
            pj = _gregorian_to_jalali(pub)
            opts = [_jalali_to_gregorian(y, jm, jd) for y in (pj[0] - 1, pj[0], pj[0] + 1)]
            past = [o for o in opts if o <= pub]
            later = [o for o in opts if o > pub]
            future = fd.future_context(s, e)
            if (
                past
                and (not future or not later)
                and ((pub - past[-1]).days <= _HALF_YEAR_DAYS or not later)
            ):
                dt = past[-1]
            else:
                dt = later[0] if later else None
        else:
            dt = None
        value = dt.isoformat() if dt else None
    elif tag == "d":
        if pub is None:
            return None
        day, offset = spec[1], spec[2]
        y, m = pub.year, pub.month
        if offset:
            y, m = _add_months(y, m, offset)
        elif fd.future_context(s, e):
            if day < pub.day:
                y, m = _add_months(y, m, 1)
        elif day > pub.day:
            y, m = _add_months(y, m, -1)
        dt = _safe_date(y, m, day)
        value = dt.isoformat() if dt else None
    elif tag == "ym":
        value, precision = _ym(spec[1], spec[2]), "month"
    elif tag == "mo":
        if pub is None:
            return None
        value, precision = _ym(*_month_only(pub, spec[1], fd.future_context(s, e))), "month"
    elif tag == "y":
        value, precision = f"{spec[1]:04d}", "year"
    elif tag == "wd":
        kind = "weekday"
        assert pub is not None
        if fd.marker(s, e, lex.next_before, lex.next_after):
            mode = "next"
        elif fd.marker(s, e, lex.last_before, lex.last_after):
            mode = "last"
        elif fd.future_context(s, e):
            mode = "future"
        else:
            mode = "past"
        value = _weekday(pub, spec[1], mode).isoformat()
    elif tag == "ago":
        kind = "relative"
        assert pub is not None
        _, n, unit = spec
        if unit == "day":
            value = (pub - datetime.timedelta(days=n)).isoformat()
        elif unit == "week":
            dt = pub - datetime.timedelta(days=7 * n)
            value, precision = _ym(dt.year, dt.month), "month"
        elif unit == "month":
            value, precision = _ym(*_add_months(pub.year, pub.month, -n)), "month"
        else:
            value, precision = f"{pub.year - n:04d}", "year"
    elif tag == "rel":
        kind = "relative"
        key = spec[1]
        if key in lex.anchored:
            base = prev_day or fd.anchor_date()
            if base is None:
                return None
            value = (base + datetime.timedelta(days=lex.anchored[key])).isoformat()
        elif pub is None:
            return None
        elif key in lex.relative_days:
            off = lex.relative_days[key]
            if off is None:
                return None  # a blocker form ("por la mañana"): not a date
            if isinstance(off, list):
                off = off[1] if fd.future_context(s, e) else off[0]
            value = (pub + datetime.timedelta(days=off)).isoformat()
        elif key in lex.relative_periods:
            unit, n = lex.relative_periods[key]
            if unit == "week":
                dt = pub + datetime.timedelta(days=7 * n)
                value, precision = _ym(dt.year, dt.month), "month"
            elif unit == "month":
                value, precision = _ym(*_add_months(pub.year, pub.month, n)), "month"
            elif unit == "year":
                value, precision = f"{pub.year + n:04d}", "year"
            elif unit == "day":
                value = (pub + datetime.timedelta(days=n)).isoformat()
            elif unit == "weekend":  # no single day: month of that weekend's Saturday
                dt = _weekday(pub, 5, "next" if n > 0 else "past")
                value, precision = _ym(dt.year, dt.month), "month"
        else:
            return None
    if value is None:
        return None
    return DateCue(s, e, text[s:e], value, precision, kind)


def _as_date(value: Any) -> datetime.date | None:
    """Accept a date, a datetime (its date) or an ISO string; anything else is None."""
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return datetime.date(value.year, value.month, value.day)
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@functools.lru_cache(maxsize=256)
def _date_spans(
    text: str, lang: str, published: datetime.date | None
) -> tuple[str, tuple[tuple[int, int, int, Any], ...]]:
    """The folded text and its non-overlapping raw date candidates: the costly, anchor-free part
    of find_date_cues, cached because the coder resolves a sentence's date more than once."""
    lex = _lexicon(lang)
    folded = fold(text)
    lowered = _decompose_nukta(folded).casefold()
    some = lex.any_gate is not None and lex.any_gate.search(lowered) is not None
    on = {
        name: some and gate is not None and gate.search(lowered) is not None
        for name, gate in lex.gates.items()
    }
    on["digit"] = _DIGIT.search(folded) is not None
    if not any(on.values()):
        return folded, ()
    fd = _Finder(lex, text, folded, published, None)
    _collect(fd, on)
    return folded, tuple(_select(fd.cands))


def find_date_cues(
    text: str,
    lang: str | None,
    published: datetime.date | None,
    *,
    anchor: datetime.date | Callable[[], datetime.date | None] | None = None,
) -> list[DateCue]:
    """All date expressions in ``text`` resolved against ``published``, sorted by start offset.

    ``anchor`` (optional) is the date that "the same day"/"次日"-style expressions refer to when the
    text itself has no earlier day-precision cue (e.g. the previous sentence's event date). It may
    be a function returning that date, called only when the text has such an expression.
    """
    if not text:
        return []
    published = _as_date(published)
    lang = _norm_lang(lang)
    folded, spans = _date_spans(text, lang, published)
    if not spans:
        return []
    fd = _Finder(_lexicon(lang), text, folded, published, anchor)
    cues: list[DateCue] = []
    prev_day: datetime.date | None = None
    for s, e, _prio, spec in spans:
        cue = _build(fd, s, e, spec, prev_day)
        if cue is None:
            continue
        if (
            cue.precision == "day"
            and cues
            and cues[-1].kind == "relative"
            and cues[-1].precision == "month"
            and _GLUE.fullmatch(text[cues[-1].end : s])
        ):
            cues.pop()  # "来週金曜日", "上月27日": the week/month word only qualifies the day
        cues.append(cue)
        if cue.precision == "day":
            prev_day = datetime.date.fromisoformat(cue.value)
    return cues


def _is_future(cue: DateCue, published: datetime.date | None) -> bool:
    if published is None:
        return False
    return cue.value > published.isoformat()[: len(cue.value)]


def _rank(cue: DateCue, published: datetime.date | None, near: int | None) -> tuple[int, int, int]:
    tier = _RANK_PRECISION[cue.precision] if cue.precision != "day" else _RANK_KIND[cue.kind]
    if (
        tier == 0
        and published is not None
        and (published - datetime.date.fromisoformat(cue.value)).days > _OLD_DAYS
    ):
        tier = _RANK_OLD_DAY
    where = abs(cue.start - near) if near is not None else cue.start
    return (int(_is_future(cue, published)), tier, where)


def resolve_event_date(
    text: str,
    lang: str | None,
    published: datetime.date | None,
    *,
    near: int | None = None,
    anchor: datetime.date | Callable[[], datetime.date | None] | None = None,
) -> tuple[str | None, str]:
    """The event date of a sentence as (value, precision); falls back to the publication date.

    ``near`` (optional): char offset of the event trigger; among equally ranked cues the nearest
    one wins.
    """
    published = _as_date(published)
    cues = find_date_cues(text, lang, published, anchor=anchor)
    if cues:
        best = min(cues, key=lambda c: _rank(c, published, near))
        return best.value, best.precision
    if published is not None:
        return published.isoformat(), "published"
    return None, "none"
