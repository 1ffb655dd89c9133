"""Shared check of the per-language lexicon tests: which CAMEO roots a sentence triggers."""

from __future__ import annotations

from pipeline.events.lexicon import load_lexicon


def roots(lang: str, sentence: str) -> set[str]:
    """CAMEO roots of the action triggers found in `sentence` (statement verbs count as 01)."""
    lex = load_lexicon(lang)
    assert lex is not None, f"no lexicon for {lang}"
    out = set()
    for _s, _e, trig in lex.find_triggers(sentence):
        out.add("01" if trig.code == "@say" else trig.code[:2])
    return out


def cue(lang: str, cls: str, sentence: str) -> bool:
    lex = load_lexicon(lang)
    assert lex is not None
    return bool(lex.find_cues(cls, sentence))


def check(lang: str, cases: list[tuple[str, str]]) -> None:
    """Each (sentence, root) case must trigger that root."""
    misses = [(s, r, sorted(roots(lang, s))) for s, r in cases if r not in roots(lang, s)]
    assert not misses, misses


def coded(lang: str, text: str, published: str = "2024-05-10") -> set[tuple[str, str | None, str | None]]:
    """(root, actor1 country, actor2 country) of each event coded in `text`."""
    from pipeline.events import extract_events_from_text

    return {
        (e.action.root, e.actor1.code[:3] if e.actor1 else None, e.actor2.code[:3] if e.actor2 else None)
        for e in extract_events_from_text(text, published=published, lang=lang)
    }


def coded_full(lang: str, text: str,
               published: str = "2024-05-10") -> set[tuple[str, str | None, str | None]]:
    """(base code, actor1 code, actor2 code) of each event coded in `text`."""
    from pipeline.events import extract_events_from_text

    return {
        (e.action.cameo[:3], e.actor1.code if e.actor1 else None, e.actor2.code if e.actor2 else None)
        for e in extract_events_from_text(text, published=published, lang=lang)
    }
