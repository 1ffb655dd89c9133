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
